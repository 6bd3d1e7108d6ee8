import type { WorkflowContext } from "../workflow-context.js";
import { type WorkflowStep, workflowStep } from "../workflow-step.js";

/** A workflow rolling while its job is meant to run: records progress, brings the next instances up. */
export const roll = ({ workflow, job, templates, pods, now, room }: WorkflowContext): WorkflowStep =>
  workflowStep(workflow, job, templates, pods, now, room, true);
