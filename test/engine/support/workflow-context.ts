import type { JobRecord } from "../../../src/domain/job.js";
import { createWorkflow, type WorkflowRecord, type WorkflowSettings } from "../../../src/domain/workflow.js";
import type { WorkflowContext } from "../../../src/engine/kinds/workflow/workflow-context.js";
import { jobRecord } from "../../support/commit.js";
import { podTemplate, TEST_JOB } from "../../support/records.js";

/** The create workflow of TEST_JOB (`instances` instances), `settings` changing its CreateSpec. */
export const createWorkflowOf = (
  instances: number,
  settings: Partial<WorkflowSettings> = {},
): WorkflowRecord =>
  createWorkflow({
    id: "w",
    jobId: TEST_JOB,
    instanceCount: instances,
    settings: {
      batchSize: 0,
      maxInstanceRetries: 0,
      maxTolerableInstanceFailures: 0,
      startPaused: false,
      ...settings,
    },
    opaqueData: "",
    version: "1-1-1",
    now: 0,
  });

/** What a workflow action sees: TEST_JOB of 3 instances meant to run, with no pod yet, at 1000. */
export const workflowContext = (
  over: Partial<Omit<WorkflowContext, "job">> & { job?: Partial<JobRecord> } = {},
): WorkflowContext => ({
  workflow: createWorkflowOf(3),
  templates: { default: podTemplate(), instances: {} },
  pods: [],
  now: 1_000,
  room: 100,
  ...over,
  job: jobRecord(TEST_JOB, { instanceCount: 3, ...over.job }),
});
