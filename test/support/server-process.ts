import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createChannel, createClient } from "nice-grpc";
import { expect } from "vitest";
import { HostServiceDefinition } from "../../src/gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { JobServiceDefinition } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { PodServiceDefinition } from "../../src/gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";

/**
 * The real server as a process of its own, for tests that kill it: `node --import tsx
 * src/app/main.ts`, never through the `tsx` CLI (the CLI runs the server in a child process of
 * its own, and a SIGKILL to the CLI would leave that child running on the database while the
 * next server starts).
 */
const MAIN = join(process.cwd(), "src", "app", "main.ts");

/** Default bounds of `pollUntil` (the LOST runs of a killed server restart after 30 s). */
const WAIT_MS = 40_000;
const MAX_POLLS = 500_000;

export interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** Log lines at warn or above (calls are logged at info and not kept). */
  readonly problems: Record<string, unknown>[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

export async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PELOTON_HOST: "127.0.0.1",
      PELOTON_PORT: "0",
      PELOTON_METRICS_ADDRESS: "127.0.0.1:0",
      PELOTON_LOG_LEVEL: "info",
      PELOTON_SIM_HOSTS: "20",
      PELOTON_SIM_TIME_FACTOR: "0.01",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const problems: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk) => {
      buffer += String(chunk);
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const part of parts) {
        if (!part.trim()) continue;
        const line = JSON.parse(part) as Record<string, unknown>;
        if (line.msg === "peloton v1alpha server listening") resolve(line.port as number);
        if ((line.level as number) >= 40) problems.push(line);
      }
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr.join("")}`)),
    );
  });
  return { child, port, problems, stderr, exited };
}

/** SIGKILLs a server and waits until the process is gone. */
export async function crash(s: Server): Promise<void> {
  s.child.kill("SIGKILL");
  expect(await s.exited).toEqual({ code: null, signal: "SIGKILL" });
}

/** SIGTERMs a server and waits for its clean exit. */
export async function stop(s: Server): Promise<void> {
  s.child.kill("SIGTERM");
  expect(await s.exited).toEqual({ code: 0, signal: null });
}

export function clients(port: number) {
  const channel = createChannel(`127.0.0.1:${port}`);
  return {
    channel,
    respool: createClient(ResourcePoolServiceDefinition, channel),
    job: createClient(JobServiceDefinition, channel),
    pod: createClient(PodServiceDefinition, channel),
    host: createClient(HostServiceDefinition, channel),
  };
}
export type Clients = ReturnType<typeof clients>;

/**
 * Asks `probe` (an awaited RPC) again and again, yielding to the event loop between asks, until
 * `done` holds; fails after `maxMs` or `maxPolls`. No sleeps: the RPC round trip paces the loop.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  { maxMs = WAIT_MS, maxPolls = MAX_POLLS }: { maxMs?: number; maxPolls?: number } = {},
): Promise<{ value: T; polls: number; ms: number }> {
  const started = performance.now();
  let last: T | undefined;
  for (let polls = 1; polls <= maxPolls; polls++) {
    last = await probe();
    const ms = performance.now() - started;
    if (done(last)) return { value: last, polls, ms };
    if (ms > maxMs) break;
    await new Promise(setImmediate);
  }
  throw new Error(
    `${what}: not reached within ${maxMs} ms / ${maxPolls} polls; last: ${JSON.stringify(last)}`,
  );
}

/** SIGKILLs every server process still running (whatever a test left behind). */
export async function killAll(): Promise<void> {
  for (const child of [...children]) {
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await gone;
  }
}
