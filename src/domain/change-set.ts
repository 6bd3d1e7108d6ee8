import type { HostRecord } from "./host.js";
import type { JobConfigRecord, JobRecord, SecretRecord } from "./job.js";
import type { PodRuntime, PodState } from "./pod.js";
import type { ResourcePool } from "./respool.js";
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

/** A pod event as stored, with its row id (events of one run sort by it). */
export interface StoredPodEvent extends PodEventRecord {
  readonly id: number;
}

/** One run's events to delete, or every run's when `runId` is null (DeletePodEvents). */
export interface PodEventsDeletion {
  readonly jobId: string;
  readonly instance: number;
  readonly runId: number | null;
}

/** A job as it is first stored: its row, its first configuration and its secrets. */
export interface NewJobChange {
  readonly job: JobRecord;
  readonly config: JobConfigRecord;
  readonly secrets: readonly SecretRecord[];
}

/**
 * Every durable change of one commit, whoever asked for it (an API command, the engine's own
 * decisions, host maintenance): written together, in one transaction, or not at all.
 */
export interface ChangeSet {
  readonly newJobs: readonly NewJobChange[];
  /** Jobs whose row changed (runtime, goal, versions, or what a new configuration changes). */
  readonly jobs: readonly JobRecord[];
  /** New configuration versions of existing jobs. */
  readonly configs: readonly JobConfigRecord[];
  readonly pods: readonly PodRuntime[];
  readonly podEvents: readonly PodEventRecord[];
  readonly deletePodEvents: readonly PodEventsDeletion[];
  /** Workflows created or moved on (stored whole: their progress is a few ranges). */
  readonly workflows: readonly WorkflowRecord[];
  readonly workflowEvents: readonly WorkflowEventRecord[];
  /** Volumes created or changed (upserted by id; DELETED ones come first). */
  readonly volumes: readonly VolumeRecord[];
  /** Hosts added to the inventory or moved through maintenance (upserted by hostname). */
  readonly hosts: readonly HostRecord[];
  /** Resource pools created or changed (upserted by id; a rename changes descendants' paths). */
  readonly pools: readonly ResourcePool[];
  readonly deletePools: readonly string[];
  /** Jobs to remove with everything they own (their pods, events, workflows and volumes). */
  readonly deleteJobs: readonly string[];
}

export const EMPTY_CHANGES: ChangeSet = {
  newJobs: [],
  jobs: [],
  configs: [],
  pods: [],
  podEvents: [],
  deletePodEvents: [],
  workflows: [],
  workflowEvents: [],
  volumes: [],
  hosts: [],
  pools: [],
  deletePools: [],
  deleteJobs: [],
};

/** A change set of nothing but what `over` gives. */
export const changeSet = (over: Partial<ChangeSet>): ChangeSet => ({ ...EMPTY_CHANGES, ...over });

export const isEmptyChangeSet = (c: ChangeSet): boolean =>
  Object.values(c).every((v: readonly unknown[]) => v.length === 0);

/** Rows a change set writes (what a commit is measured by). */
export const rowsOf = (c: ChangeSet): number =>
  Object.values(c).reduce((n: number, v: readonly unknown[]) => n + v.length, 0);
