import type { WorkflowContext } from "../workflow-context.js";
import { type WorkflowStep, workflowStep } from "../workflow-step.js";

/**
 * A paused workflow, or one whose job is not meant to run: records which instances came up or
 * failed (it may succeed or fail on that alone) and brings no instance up.
 */
export const track = ({ workflow, job, templates, pods, now }: WorkflowContext): WorkflowStep =>
  workflowStep(workflow, job, templates, pods, now, 0, false);
