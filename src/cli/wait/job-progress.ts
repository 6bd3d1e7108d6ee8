import {
  type JobStatus,
  jobStateToJSON,
  workflowStateToJSON,
  workflowTypeToJSON,
} from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { enumName, withoutPrefix } from "../enum-name.js";

/** Where a job's workflow stands: what `--wait` shows and judges. */
export interface WorkflowProgress {
  /** UPDATE or RESTART. */
  readonly type: string;
  /** INITIALIZED, ROLLING_FORWARD, PAUSED, SUCCEEDED, ABORTED, FAILED, ROLLING_BACKWARD, ROLLED_BACK. */
  readonly state: string;
  /** The entity version the workflow moves the job to: the one the command answered with. */
  readonly version: string;
  readonly completed: number;
  readonly failed: number;
  readonly remaining: number;
  /** Instances being worked on now: the current batch. */
  readonly current: readonly number[];
}

/** One observation of a job, whichever source (GetJob polls, Watch) it came from. */
export interface JobProgress {
  readonly jobId: string;
  readonly instanceCount: number;
  /** Job state name without its prefix: RUNNING, KILLED… */
  readonly state: string;
  /** The state the job is driven towards. */
  readonly goal: string;
  readonly version: string;
  /** Pods by state name without its prefix (the server's pod_stats: POD_STATE_RUNNING or RUNNING). */
  readonly pods: Readonly<Record<string, number>>;
  readonly workflow?: WorkflowProgress;
}

export function jobProgressOf(
  jobId: string,
  instanceCount: number,
  status: JobStatus | undefined,
): JobProgress {
  const w = status?.workflowStatus;
  return {
    jobId,
    instanceCount,
    state: status ? enumName(jobStateToJSON, "JOB_STATE_", status.state) : "INVALID",
    goal: status ? enumName(jobStateToJSON, "JOB_STATE_", status.desiredState) : "INVALID",
    version: status?.version?.value ?? "",
    pods: withoutPrefix(status?.podStats ?? {}, "POD_STATE_"),
    workflow: w && {
      type: enumName(workflowTypeToJSON, "WORKFLOW_TYPE_", w.type),
      state: enumName(workflowStateToJSON, "WORKFLOW_STATE_", w.state),
      version: w.version?.value ?? "",
      completed: w.numInstancesCompleted,
      failed: w.numInstancesFailed,
      remaining: w.numInstancesRemaining,
      current: [...w.instancesCurrent],
    },
  };
}
