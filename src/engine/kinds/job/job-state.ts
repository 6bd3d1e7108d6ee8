import type { JobRecord, JobState } from "../../../domain/job.js";
import { isTerminalPodState, type PodRuntime } from "../../../domain/pod.js";

/** What a job's pods make of it: its new row when its state changes, or that it is gone. */
export interface JobStep {
  readonly job?: JobRecord;
  /** Every pod ended and the goal is DELETED: the job goes, with all it owns. */
  readonly delete?: boolean;
}

/**
 * A job's state from its pods: INITIALIZED before any pod exists, RUNNING once one runs, PENDING
 * in between; KILLING until every pod has ended, then KILLED (or gone, when the goal is
 * DELETED). A job whose pods all stopped on their own (StopPod), none meant to run and no more
 * instances to come (`more`, asked only then), has stopped: KILLED.
 */
export function jobState(
  job: JobRecord,
  pods: readonly (PodRuntime | undefined)[],
  now: number,
  more: () => boolean,
): JobStep {
  let any = false;
  let running = false;
  let ended = true;
  let wanted = false;
  for (const p of pods) {
    if (!p) continue;
    any = true;
    if (p.state === "RUNNING") running = true;
    if (!isTerminalPodState(p.state)) ended = false;
    if (p.goal === "RUNNING") wanted = true;
  }
  let state: JobState;
  if (job.goalState === "RUNNING") {
    if (running) state = "RUNNING";
    else if (!any) state = "INITIALIZED";
    else if (ended && !wanted && !more()) state = "KILLED";
    else state = "PENDING";
  } else {
    if (ended && job.goalState === "DELETED") return { delete: true };
    state = ended ? "KILLED" : "KILLING";
  }
  if (state === job.state) return {};
  return {
    job: {
      ...job,
      state,
      revision: job.revision + 1,
      updatedAt: now,
      completedAt: state === "KILLED" ? now : null,
    },
  };
}
