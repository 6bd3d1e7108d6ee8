import { type ChildProcess, spawn } from "node:child_process";
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

/** A CLI process still running: what it printed so far, and a way to wait for more. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr) matches, as output arrives; rejects if the process ends first. */
  printed(pattern: RegExp, stream?: "stdout" | "stderr"): Promise<void>;
  readonly exited: Promise<CliRun>;
}

/** Starts `peloton <args>` against `address` and returns at once (for commands that stream). */
export function startPeloton(address: string, args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PELOTON_JOBMGR: address },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout!.on("data", (c) => {
    out.stdout += String(c);
  });
  child.stderr!.on("data", (c) => {
    out.stderr += String(c);
  });
  const exited = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr }));
  });
  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    printed: (pattern, stream = "stdout") =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out[stream])) return false;
          child[stream]!.off("data", onData);
          resolve();
          return true;
        };
        const onData = () => setImmediate(check);
        if (check()) return;
        child[stream]!.on("data", onData);
        exited.then(() => {
          if (!check()) reject(new Error(`exited before printing ${pattern}: ${out.stdout}${out.stderr}`));
        });
      }),
  };
}

/**
 * The time limit of a test that runs the CLI as a process, often a dozen times: each start costs
 * about a second of CPU (tsx compiles the source), several on a loaded machine.
 */
export const CLI_TEST_TIMEOUT = { timeout: 240_000 };
