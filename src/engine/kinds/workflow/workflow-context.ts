import type { JobRecord } from "../../../domain/job.js";
import type { JobTemplates, PodRuntime } from "../../../domain/pod.js";
import type { WorkflowRecord } from "../../../domain/workflow.js";

/** What a workflow's action sees. */
export interface WorkflowContext {
  readonly workflow: WorkflowRecord;
  readonly job: JobRecord;
  /** The templates of the job's current configuration. */
  readonly templates: JobTemplates;
  /** The job's pods by instance, as the tick sees them. */
  readonly pods: readonly (PodRuntime | undefined)[];
  readonly now: number;
  /** Pod rows the tick may still create. */
  readonly room: number;
}
