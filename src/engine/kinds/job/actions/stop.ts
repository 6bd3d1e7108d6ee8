import type { JobContext, JobDecision } from "../job-context.js";
import { jobState } from "../job-state.js";

/** A job meant to stop (or go): KILLING until its pods have ended, then KILLED (or gone). */
export const stop = ({ job, pods, now }: JobContext): JobDecision => ({
  ...jobState(job, pods, now, () => false),
  newPods: [],
  more: false,
});
