import type { Clock } from "../../lib/clock.js";
import { formatElapsed, type ProgressDisplay, type WaitOutcome } from "./progress-display.js";
import type { ProgressSource } from "./progress-source.js";
import type { WaitGoal } from "./wait-goal.js";

export interface WaitOptions {
  readonly source: ProgressSource;
  readonly goal: WaitGoal;
  readonly display: ProgressDisplay;
  readonly clock: Clock;
  /** 0: no limit. */
  readonly timeoutMs: number;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}

type Stop = { readonly stop: "timeout" | "interrupted" };

/**
 * Follows a job's observations until the goal is met or given up on, the time limit passes, or
 * `signal` aborts; every observation goes to the display. A source that fails ends the wait
 * with its error (after the display is finished).
 */
export async function waitForJob(o: WaitOptions): Promise<WaitOutcome> {
  const started = o.clock.now();
  const elapsed = () => o.clock.now() - started;
  const sourceSignal = new AbortController();
  let cancelTimer = () => {};
  let onAbort = () => {};
  const stopped = new Promise<Stop>((resolve) => {
    if (o.timeoutMs > 0) cancelTimer = o.clock.setTimer(o.timeoutMs, () => resolve({ stop: "timeout" }));
    onAbort = () => resolve({ stop: "interrupted" });
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener("abort", onAbort, { once: true });
  });
  const observations = o.source(sourceSignal.signal)[Symbol.asyncIterator]();
  let last = "";
  let outcome: WaitOutcome | undefined;
  try {
    while (!outcome) {
      const next = await Promise.race([observations.next(), stopped]);
      if ("stop" in next) {
        const why = next.stop === "timeout" ? `timed out after ${formatElapsed(o.timeoutMs)}` : "interrupted";
        outcome = { kind: next.stop, summary: `${o.goal.what}: ${why}${last ? ` (last: ${last})` : ""}` };
      } else if (next.done) {
        outcome = { kind: "failed", summary: `${o.goal.what}: the job's updates stopped coming` };
      } else {
        const verdict = o.goal.judge(next.value);
        o.display.update(next.value, verdict, elapsed());
        last = o.goal.describe(next.value);
        if (verdict.done) outcome = { kind: verdict.ok ? "succeeded" : "failed", summary: verdict.summary };
      }
    }
  } catch (e) {
    o.display.finish({ kind: "failed", summary: `${o.goal.what}: ${(e as Error).message}` }, elapsed());
    throw e;
  } finally {
    cancelTimer();
    o.signal.removeEventListener("abort", onAbort);
    sourceSignal.abort();
    // Not awaited: a generator suspended in a call ends once the abort reaches that call.
    observations.return?.().catch(() => {});
  }
  o.display.finish(outcome, elapsed());
  return outcome;
}
