import type { JobProgress } from "./job-progress.js";

/** What a goal makes of one observation. */
export type Verdict =
  | { readonly done: false; readonly note?: string }
  | { readonly done: true; readonly ok: boolean; readonly summary: string };

/** What `--wait` waits for after a command, and how far along it is. */
export interface WaitGoal {
  /** e.g. "update workflow", "start": shown before the progress. */
  readonly what: string;
  judge(p: JobProgress): Verdict;
  /** Instances done of those the goal is about (the progress bar). */
  measure(p: JobProgress): { readonly value: number; readonly total: number };
  /** Where it stands, in a few words (without the pods by state, which the display adds). */
  describe(p: JobProgress): string;
}

/** Workflow states after which a workflow does nothing more, and whether each is a success. */
const WORKFLOW_ENDS: Readonly<Record<string, boolean>> = {
  SUCCEEDED: true,
  FAILED: false,
  ABORTED: false,
  ROLLED_BACK: false,
};

/**
 * The workflow the command started (the one moving the job to `version`, the version the
 * command answered with) ends: SUCCEEDED is a success; FAILED, ABORTED and ROLLED_BACK are not.
 */
export function workflowGoal(what: string, version: string): WaitGoal {
  const ours = (p: JobProgress) => (p.workflow?.version === version ? p.workflow : undefined);
  return {
    what,
    judge(p) {
      const w = ours(p);
      if (!w) return { done: false, note: `waiting for the workflow to ${version} to show` };
      const ok = WORKFLOW_ENDS[w.state];
      if (ok === undefined) return { done: false };
      const failed = w.failed > 0 ? `, ${w.failed} failed` : "";
      return { done: true, ok, summary: `${what} ${w.state}: ${w.completed} done${failed}` };
    },
    measure(p) {
      const w = ours(p);
      if (!w) return { value: 0, total: p.instanceCount };
      return { value: w.completed + w.failed, total: w.completed + w.failed + w.remaining };
    },
    describe(p) {
      const w = ours(p);
      if (!w) return `job ${p.state}`;
      const batch = w.current.length > 0 ? `, batch ${compactInstances(w.current)}` : "";
      return `${w.state}: ${w.completed} done, ${w.failed} failed, ${w.remaining} remaining${batch}`;
    },
  };
}

/** Instance ids as runs: [0, 1, 2, 5, 7, 8] is "0-2, 5, 7-8". */
export function compactInstances(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

const runningPods = (p: JobProgress) => p.pods.RUNNING ?? 0;

/** Every instance runs (a start). A goal moved away from RUNNING by someone else ends the wait. */
export const runningGoal: WaitGoal = {
  what: "start",
  judge(p) {
    if (p.goal !== "RUNNING") return { done: true, ok: false, summary: `the job's goal is now ${p.goal}` };
    if (p.state === "RUNNING" && runningPods(p) >= p.instanceCount) {
      return { done: true, ok: true, summary: `RUNNING: ${runningPods(p)}/${p.instanceCount} pods running` };
    }
    return { done: false };
  },
  measure: (p) => ({ value: Math.min(runningPods(p), p.instanceCount), total: p.instanceCount }),
  describe: (p) => `job ${p.state}: ${runningPods(p)}/${p.instanceCount} running`,
};

/** Job states in which every pod has ended. */
const ENDED_JOB_STATES = new Set(["KILLED", "SUCCEEDED", "FAILED"]);
/** Pod states that end a run; LOST too: a stopped pod is not started again. */
const ENDED_POD_STATES = new Set(["SUCCEEDED", "FAILED", "KILLED", "LOST", "DELETED"]);

const endedPods = (p: JobProgress) =>
  Object.entries(p.pods).reduce((n, [state, count]) => n + (ENDED_POD_STATES.has(state) ? count : 0), 0);

/** Every pod has ended (a stop). A goal moved back to RUNNING ends the wait. */
export const stoppedGoal: WaitGoal = {
  what: "stop",
  judge(p) {
    if (p.goal === "RUNNING") return { done: true, ok: false, summary: "the job's goal is RUNNING again" };
    if (ENDED_JOB_STATES.has(p.state))
      return { done: true, ok: true, summary: `${p.state}: every pod ended` };
    return { done: false };
  },
  measure: (p) => ({ value: Math.min(endedPods(p), p.instanceCount), total: p.instanceCount }),
  describe: (p) => `job ${p.state}: ${endedPods(p)}/${p.instanceCount} stopped`,
};
