import { Writable } from "node:stream";
import type { JobProgress, WorkflowProgress } from "../../../src/cli/wait/job-progress.js";
import type { ProgressSource } from "../../../src/cli/wait/progress-source.js";

/** An observation of a 4-instance job, RUNNING towards RUNNING, with what `over` changes. */
export const progress = (over: Partial<JobProgress> = {}): JobProgress => ({
  jobId: "job-1",
  instanceCount: 4,
  state: "RUNNING",
  goal: "RUNNING",
  version: "2-1-1",
  pods: {},
  ...over,
});

/** An update workflow to 2-1-1 (unless `version` says otherwise). */
export const workflow = (
  state: string,
  completed: number,
  failed: number,
  remaining: number,
  current: number[] = [],
  version = "2-1-1",
): WorkflowProgress => ({ type: "UPDATE", state, version, completed, failed, remaining, current });

/**
 * A source that yields `steps`, then waits until aborted, as a live stream does; `drained`
 * resolves once every step was taken.
 */
export function fakeSource(steps: readonly JobProgress[]) {
  let drained!: () => void;
  const done = new Promise<void>((resolve) => {
    drained = resolve;
  });
  let aborted = false;
  const source: ProgressSource = async function* fake(signal) {
    for (const p of steps) yield p;
    drained();
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    aborted = signal.aborted;
  };
  return { source, drained: done, wasAborted: () => aborted };
}

/** Collects what is written, as text; `isTTY` makes it pass for a terminal. */
export class Capture extends Writable {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns = 120,
  ) {
    super();
  }
  override _write(chunk: unknown, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(String(chunk));
    done();
  }
  get text(): string {
    return this.chunks.join("");
  }
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g");

/** Text without terminal escapes. */
export const withoutEscapes = (text: string): string => text.replace(ANSI, "");
/** How many terminal escapes the text has. */
export const escapes = (text: string): number => text.match(ANSI)?.length ?? 0;
