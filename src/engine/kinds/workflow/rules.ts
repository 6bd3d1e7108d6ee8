import type { WorkflowState } from "../../../domain/workflow.js";
import { roll } from "./actions/roll.js";
import { track } from "./actions/track.js";
import type { WorkflowContext } from "./workflow-context.js";
import type { WorkflowStep } from "./workflow-step.js";

/** Whether the workflow may bring instances up now: only while its job is meant to run. */
export type WorkflowGoal = "roll" | "hold";

export const WORKFLOW_ACTIONS = {
  roll,
  track,
  /** An ended workflow: nothing left to do. */
  done: (_: WorkflowContext): WorkflowStep => ({ create: [], more: false }),
} as const;
export type WorkflowActionName = keyof typeof WORKFLOW_ACTIONS;

const ENDED = {
  SUCCEEDED: "done",
  ABORTED: "done",
  FAILED: "done",
  ROLLED_BACK: "done",
} as const satisfies Partial<Record<WorkflowState, WorkflowActionName>>;

/**
 * What to do for each goal and workflow state. `roll` records progress and brings the next
 * instances up; `track` records progress only (a paused workflow, or a job meant to stop);
 * an ended workflow has nothing left to do.
 */
export const WORKFLOW_ACTION_TABLE = {
  roll: {
    INITIALIZED: "roll",
    ROLLING_FORWARD: "roll",
    ROLLING_BACKWARD: "roll",
    PAUSED: "track",
    ...ENDED,
  },
  hold: {
    INITIALIZED: "track",
    ROLLING_FORWARD: "track",
    ROLLING_BACKWARD: "track",
    PAUSED: "track",
    ...ENDED,
  },
} as const satisfies Record<WorkflowGoal, Record<WorkflowState, WorkflowActionName>>;

export const workflowActionFor = (goal: WorkflowGoal, state: WorkflowState): WorkflowActionName =>
  WORKFLOW_ACTION_TABLE[goal][state];
