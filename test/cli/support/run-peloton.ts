import { spawn } from "node:child_process";
import { join } from "node:path";

/**
 * The CLI's source as a process of its own (`node --import tsx src/cli/main.ts`): what `npx
 * peloton` runs in a checkout without a build, and never a stale dist/.
 */
const MAIN = join(process.cwd(), "src", "cli", "main.ts");

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `peloton <args>` against `address` (PELOTON_JOBMGR) and collects what it printed. */
export function peloton(
  address: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PELOTON_JOBMGR: address, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on("data", (c) => out.push(String(c)));
  child.stderr.on("data", (c) => err.push(String(c)));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout: out.join(""), stderr: err.join("") }),
    );
  });
}

/** The stdout of a run that must succeed (a failure shows its stderr). */
export async function ok(run: Promise<CliRun>): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
