import { PodState } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import type { JobProgress } from "./job-progress.js";
import type { Verdict, WaitGoal } from "./wait-goal.js";

/** How a wait ended. */
export type WaitOutcome =
  | { readonly kind: "succeeded"; readonly summary: string }
  | { readonly kind: "failed"; readonly summary: string }
  | { readonly kind: "timeout"; readonly summary: string }
  | { readonly kind: "interrupted"; readonly summary: string };

/** Shows a wait as it goes: redrawn on a terminal, one line per change elsewhere. */
export interface ProgressDisplay {
  update(p: JobProgress, verdict: Verdict, elapsedMs: number): void;
  finish(outcome: WaitOutcome, elapsedMs: number): void;
}

/** A pod state's place in PodState, whose numbers follow a pod's life; names it lacks go last. */
const rank = (state: string): number => {
  const n = (PodState as unknown as Record<string, number | undefined>)[`POD_STATE_${state}`];
  return n === undefined || n < 0 ? Number.MAX_SAFE_INTEGER : n;
};

/** `pods RUNNING 3, STARTING 1` in lifecycle order, states with no pod left out. */
export function podsByState(pods: Readonly<Record<string, number>>): string {
  const parts = Object.entries(pods)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([state, n]) => `${state} ${n}`);
  return parts.length > 0 ? `pods ${parts.join(", ")}` : "no pods";
}

/** `0:07`, `12:30`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The words of one observation: what the goal says of it, and its pods. */
export function progressText(
  goal: WaitGoal,
  p: JobProgress,
  verdict: Verdict,
): { status: string; pods: string } {
  const note = !verdict.done && verdict.note ? ` (${verdict.note})` : "";
  return { status: `${goal.describe(p)}${note}`, pods: podsByState(p.pods) };
}
