/**
 * What the API reads and whom it asks to change things: interfaces only. The engine implements
 * the command interfaces and the view (engine/api.ts); the store's read queries implement the
 * query interfaces below; app/ wires them in.
 */
import type { StoredPodEvent } from "../domain/change-set.js";
import type { JobQuery, JobQueryResult, JobRecord } from "../domain/job.js";
import type { JobTemplates, PodQuery, PodRuntime } from "../domain/pod.js";
import type { ResourcePool } from "../domain/respool.js";
import type { VolumeRecord } from "../domain/volume.js";
import type { WorkflowEventRecord, WorkflowRecord } from "../domain/workflow.js";

export type {
  ChangeFeedView,
  EngineApi,
  HostCommands,
  JobCommands,
  NewJobInput,
  PodCommand,
  PodCommands,
  PoolCommands,
  RuntimeView,
  VolumeCommands,
  WorkflowCommand,
  WorkflowCommands,
} from "../engine/api.js";

/** A secret as the API may show it: never its value. */
export interface SecretRef {
  readonly id: string;
  readonly path: string;
}

export interface JobQueries {
  get(id: string): Promise<JobRecord | undefined>;
  getTemplates(id: string, version: number): Promise<JobTemplates | undefined>;
  getConfig(id: string, version: number): Promise<Record<string, unknown> | undefined>;
  secrets(jobId: string): Promise<SecretRef[]>;
  idsByName(name: string): Promise<string[]>;
  listAll(batchSize: number): AsyncIterable<JobRecord[]>;
  query(q: JobQuery): Promise<JobQueryResult>;
  podStats(
    jobIds: readonly string[],
  ): Promise<Map<string, { byState: Record<string, number>; byVersion: Record<string, number> }>>;
}

export interface PodQueries {
  get(jobId: string, instance: number): Promise<PodRuntime | undefined>;
  listByJob(jobId: string, from?: number, to?: number): Promise<PodRuntime[]>;
  query(q: PodQuery): Promise<{ pods: PodRuntime[]; total: number }>;
  events(jobId: string, instance: number, runId?: number): Promise<StoredPodEvent[]>;
  runIds(jobId: string, instance: number): Promise<number[]>;
}

export interface WorkflowQueries {
  latest(jobId: string): Promise<WorkflowRecord | undefined>;
  latestByJob(jobIds?: readonly string[]): Promise<Map<string, WorkflowRecord>>;
  events(workflow: Pick<WorkflowRecord, "id" | "jobId">): Promise<WorkflowEventRecord[]>;
}

export interface VolumeQueries {
  get(id: string): Promise<VolumeRecord | undefined>;
  listByJob(jobId: string): Promise<VolumeRecord[]>;
}

export interface PoolQueries {
  list(): Promise<ResourcePool[]>;
  get(id: string): Promise<ResourcePool | undefined>;
  getByPath(path: string): Promise<ResourcePool | undefined>;
}
