import type { EntityVersion } from "../../domain/entity-version.js";
import type { JobRecord } from "../../domain/job.js";
import { workflowEvent } from "../../domain/workflow.js";
import { applyWorkflowCommand, type WorkflowCommand } from "../kinds/workflow/workflow-command.js";
import { jobKey, workflowKey } from "../loop/entity-key.js";
import { type Command, commandJob } from "./command.js";

/**
 * PauseJobWorkflow, ResumeJobWorkflow, AbortJobWorkflow: the job once stored. A command that
 * has nothing to do (no workflow under way, already paused, not paused) changes nothing and
 * answers the current version. ABORTED when `version` is not current.
 */
export const workflowCommand =
  (
    jobId: string,
    command: WorkflowCommand,
    version: EntityVersion | undefined,
    opaqueData: string | undefined,
  ): Command<JobRecord> =>
  (tick) => {
    const { job } = commandJob(tick, jobId, version);
    const wf = tick.workflow(jobId);
    const next = wf && applyWorkflowCommand(wf, command, tick.now);
    if (!next) return job;
    const movedJob: JobRecord = {
      ...job,
      workflowVersion: job.workflowVersion + 1,
      revision: job.revision + 1,
      updatedAt: tick.now,
    };
    tick.stageJob(movedJob);
    const moved = opaqueData === undefined ? next : { ...next, opaqueData };
    tick.stageWorkflow(moved, workflowEvent(moved, tick.now));
    tick.lookNow(jobKey(jobId));
    tick.lookNow(workflowKey(jobId));
    return movedJob;
  };
