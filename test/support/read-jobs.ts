import { ClientError, Status } from "nice-grpc";
import { JobState, WorkflowState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { Unprefixed } from "./read-pods.js";
import type { TestServer } from "./server.js";

export type JobStateName = Unprefixed<keyof typeof JobState, "JOB_STATE_">;
export type WorkflowStateName = Unprefixed<keyof typeof WorkflowState, "WORKFLOW_STATE_">;

/** What a test asks of a job's runtime, decoded from GetJob's summary. */
export interface JobView {
  readonly state: JobStateName;
  readonly goal: JobStateName;
  /** The entity version, `<config>-<desired state>-<workflow>`. */
  readonly version: string;
  /** The state of its latest workflow; undefined when it has none. */
  readonly workflow: WorkflowStateName | undefined;
}

const jobStateName = (v: JobState) => JobState[v]!.slice("JOB_STATE_".length) as JobStateName;

/** A job's runtime through GetJob (summary only); NOT_FOUND fails the call. */
export async function jobOf(s: TestServer, jobId: string): Promise<JobView> {
  const { summary } = await s.job.getJob({ jobId: { value: jobId }, summaryOnly: true });
  const status = summary!.status!;
  const workflow = status.workflowStatus?.state;
  return {
    state: jobStateName(status.state),
    goal: jobStateName(status.desiredState),
    version: status.version?.value ?? "",
    workflow:
      workflow === undefined
        ? undefined
        : (WorkflowState[workflow]!.slice("WORKFLOW_STATE_".length) as WorkflowStateName),
  };
}

/** True once GetJob answers NOT_FOUND for the job (it is deleted); any other failure is thrown. */
export async function jobGone(s: TestServer, jobId: string): Promise<boolean> {
  try {
    await s.job.getJob({ jobId: { value: jobId }, summaryOnly: true });
    return false;
  } catch (e) {
    if (e instanceof ClientError && e.code === Status.NOT_FOUND) return true;
    throw e;
  }
}
