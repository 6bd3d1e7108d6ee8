import type { JobState, PodState } from "./job.js";
import type { PodRuntime } from "./pod.js";
import type { VolumeRecord } from "./volume.js";
import type { WorkflowEventRecord, WorkflowRecord } from "./workflow.js";

/** A pod transition as PodEvent records it. */
export interface PodEventRecord {
  readonly jobId: string;
  readonly instance: number;
  readonly runId: number;
  readonly actualState: PodState;
  readonly desiredState: PodState;
  readonly configVersion: number;
  readonly desiredConfigVersion: number;
  readonly agentId: string;
  readonly hostname: string;
  readonly message: string;
  readonly reason: string;
  readonly prevRunId: number | null;
  readonly healthy: string;
  readonly at: number;
}

/** A job's runtime columns as the engine moves them. */
export interface JobRuntimeChange {
  readonly id: string;
  readonly state: JobState;
  readonly goalState: JobState;
  readonly desiredStateVersion: number;
  readonly workflowVersion: number;
  readonly revision: number;
  readonly updatedAt: number;
  readonly completedAt: number | null;
}

/** Everything one engine tick writes, committed together or not at all. */
export interface RuntimeBatch {
  readonly pods: readonly PodRuntime[];
  readonly events: readonly PodEventRecord[];
  readonly jobs: readonly JobRuntimeChange[];
  /** Workflows created or moved on (stored whole: their progress is a few ranges). */
  readonly workflows: readonly WorkflowRecord[];
  readonly workflowEvents: readonly WorkflowEventRecord[];
  /** Volumes created or changed (upserted by id; DELETED ones come first). */
  readonly volumes: readonly VolumeRecord[];
  /** Jobs to remove with everything they own (their pods, events and volumes). */
  readonly deleteJobs: readonly string[];
}

export const isEmptyBatch = (b: RuntimeBatch): boolean =>
  b.pods.length === 0 &&
  b.events.length === 0 &&
  b.jobs.length === 0 &&
  b.workflows.length === 0 &&
  b.workflowEvents.length === 0 &&
  b.volumes.length === 0 &&
  b.deleteJobs.length === 0;
