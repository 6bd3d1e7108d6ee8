import type { HostRecord } from "./host.js";
import type { JobRecord } from "./job.js";
import type { JobTemplates } from "./pod.js";
import type { ResourcePool } from "./respool.js";
import type { VolumeRecord } from "./volume.js";
import type { WorkflowRecord } from "./workflow.js";

/** A job as the engine loads it: its row, the templates of every config version, its latest workflow. */
export interface StoredJob {
  readonly job: JobRecord;
  readonly templates: Map<number, JobTemplates>;
  readonly workflow: WorkflowRecord | undefined;
}

/** Everything the engine starts from but the pods (which come in pages): as of `revision`. */
export interface RuntimeSnapshot {
  readonly revision: number;
  readonly jobs: readonly StoredJob[];
  readonly pools: readonly ResourcePool[];
  readonly hosts: readonly HostRecord[];
  /** Volumes that are not DELETED. */
  readonly volumes: readonly VolumeRecord[];
}
