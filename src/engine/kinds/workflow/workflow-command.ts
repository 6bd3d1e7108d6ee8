import { isActiveWorkflow, type WorkflowRecord, type WorkflowState } from "../../../domain/workflow.js";

/** What PauseJobWorkflow, ResumeJobWorkflow and AbortJobWorkflow do to a workflow. */
export type WorkflowCommand = "pause" | "resume" | "abort";

/**
 * A workflow after a command, or undefined when the command is a no-op: pausing a workflow
 * that is not rolling, resuming one that is not paused, aborting one that has ended.
 */
export function applyWorkflowCommand(
  wf: WorkflowRecord,
  command: WorkflowCommand,
  now: number,
): WorkflowRecord | undefined {
  let state: WorkflowState | undefined;
  if (command === "pause" && (wf.state === "ROLLING_FORWARD" || wf.state === "ROLLING_BACKWARD"))
    state = "PAUSED";
  if (command === "resume" && wf.state === "PAUSED")
    state = wf.prevState === "ROLLING_BACKWARD" ? "ROLLING_BACKWARD" : "ROLLING_FORWARD";
  if (command === "abort" && isActiveWorkflow(wf.state)) state = "ABORTED";
  if (!state) return undefined;
  return {
    ...wf,
    state,
    prevState: wf.state,
    instancesCurrent: state === "ABORTED" ? [] : wf.instancesCurrent,
    updatedAt: now,
  };
}
