import { cpSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** One instruction of a Dockerfile: its keyword and the rest of the (joined) line. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

/** The stages of a Dockerfile, continuation lines joined and comments dropped. */
export function parseDockerfile(path: string): Stage[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((pending + line).trim());
    pending = "";
  }
  const stages: { name: string; base: string; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [base = "", , name = ""] = args.split(/\s+/);
      stages.push({ name: name || String(stages.length), base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** An exec-form argument list (`["node", "x.js"]`). */
export const execForm = (args: string): string[] => JSON.parse(args) as string[];

/** `KEY=value` pairs of an ENV instruction. */
export function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of args.split(/\s+/)) {
    const eq = pair.indexOf("=");
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * Does what `COPY [--from=stage] src... dest` does, with the WORKDIR as `workdir` on disk:
 * sources come from `context` (or the named stage's folder, with its WORKDIR `/app` stripped).
 */
export function replayCopy(
  args: string,
  { context, workdir, stageDirs }: { context: string; workdir: string; stageDirs: Record<string, string> },
): void {
  const words = args.split(/\s+/);
  const from = words[0]?.startsWith("--from=") ? words.shift()!.slice("--from=".length) : undefined;
  const dest = words.pop()!;
  const root = from === undefined ? context : stageDirs[from];
  if (root === undefined) throw new Error(`COPY --from=${from}: no such stage`);
  const source = (s: string) => join(root, from === undefined ? s : s.replace(/^\/app\/?/, ""));
  const target = join(workdir, dest);
  if (words.length > 1 || dest.endsWith("/")) {
    mkdirSync(target, { recursive: true });
    for (const s of words) cpSync(source(s), join(target, basename(s)), { recursive: true });
  } else {
    const s = source(words[0]!);
    cpSync(s, target, { recursive: statSync(s).isDirectory() });
  }
}
