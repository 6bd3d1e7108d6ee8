import type { JobGoal, JobState } from "../../../domain/job.js";
import { run } from "./actions/run.js";
import { stop } from "./actions/stop.js";
import type { JobContext, JobDecision } from "./job-context.js";

export const JOB_ACTIONS = {
  run,
  stop,
  /** A pair that should never occur; the engine logs it and leaves the job alone. */
  invalid: (_: JobContext): JobDecision => ({ newPods: [], more: false }),
} as const;
export type JobActionName = keyof typeof JOB_ACTIONS;

const ALL = (action: JobActionName, except: Partial<Record<JobState, JobActionName>> = {}) =>
  ({
    INITIALIZED: action,
    PENDING: action,
    RUNNING: action,
    SUCCEEDED: action,
    FAILED: action,
    KILLED: action,
    KILLING: action,
    UNINITIALIZED: "invalid",
    DELETED: "invalid",
    ...except,
  }) as const satisfies Record<JobState, JobActionName>;

/**
 * What to do for each goal and state. A job meant to run follows its pods; one meant to stop or
 * go ends them (the pod rules do the killing) and is removed once none is left, for DELETED.
 */
export const JOB_ACTION_TABLE = {
  RUNNING: ALL("run"),
  KILLED: ALL("stop"),
  DELETED: ALL("stop"),
} as const satisfies Record<JobGoal, Record<JobState, JobActionName>>;

export const jobActionFor = (goal: JobGoal, state: JobState): JobActionName => JOB_ACTION_TABLE[goal][state];
