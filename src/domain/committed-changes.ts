import type { HostRecord } from "./host.js";
import type { JobRecord } from "./job.js";
import type { PodRuntime } from "./pod.js";
import type { ResourcePool } from "./respool.js";
import type { VolumeRecord } from "./volume.js";
import type { WorkflowRecord } from "./workflow.js";

/**
 * One entity a commit changed, as it is after that commit: enough to show it (a JobSummary, a
 * PodSummary) without reading the store. Changes to one entity within a commit are one change.
 */
export type Change =
  | {
      readonly kind: "job";
      readonly op: "upsert";
      readonly job: JobRecord;
      /** Its pods by state and by configuration version, after the commit. */
      readonly podsByState: Readonly<Record<string, number>>;
      readonly podsByVersion: Readonly<Record<string, number>>;
      readonly workflow: WorkflowRecord | undefined;
    }
  | { readonly kind: "job"; readonly op: "delete"; readonly jobId: string }
  | { readonly kind: "pod"; readonly op: "upsert"; readonly pod: PodRuntime }
  | { readonly kind: "pod"; readonly op: "delete"; readonly jobId: string; readonly instance: number }
  | { readonly kind: "workflow"; readonly op: "upsert"; readonly workflow: WorkflowRecord }
  | { readonly kind: "volume"; readonly op: "upsert"; readonly volume: VolumeRecord }
  | { readonly kind: "host"; readonly op: "upsert"; readonly host: HostRecord }
  | { readonly kind: "pool"; readonly op: "upsert"; readonly pool: ResourcePool }
  | { readonly kind: "pool"; readonly op: "delete"; readonly poolId: string };

/** Everything one commit changed, stamped with its revision. */
export interface CommittedChanges {
  readonly revision: number;
  /** When the commit was made (clock milliseconds). */
  readonly at: number;
  readonly changes: readonly Change[];
}

export type ChangeListener = (committed: CommittedChanges) => void;
