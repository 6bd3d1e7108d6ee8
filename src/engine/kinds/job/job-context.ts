import type { JobRecord } from "../../../domain/job.js";
import type { JobTemplates, PodRuntime } from "../../../domain/pod.js";
import type { WorkflowRecord } from "../../../domain/workflow.js";
import type { JobStep } from "./job-state.js";

/** What a job's action sees. */
export interface JobContext {
  readonly job: JobRecord;
  /** Its pods by instance, as the tick sees them. */
  readonly pods: readonly (PodRuntime | undefined)[];
  /** The templates of its current configuration. */
  readonly templates: JobTemplates;
  readonly workflow: WorkflowRecord | undefined;
  readonly now: number;
  /** Pod rows the tick may still create. */
  readonly room: number;
}

/** What a job's action decides. */
export interface JobDecision extends JobStep {
  /** Pod rows to create (instances that have none yet). */
  readonly newPods: readonly PodRuntime[];
  /** Instances are left to create in a later tick (creation is bounded per tick). */
  readonly more: boolean;
}
