import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { HostGoal, HostState } from "../domain/host.js";
import type { JobGoal, JobState } from "../domain/job.js";
import type { JobTemplates, PodGoal, PodHealth, PodState } from "../domain/pod.js";
import type { PoolConfig } from "../domain/respool.js";
import type { VolumeState } from "../domain/volume.js";
import type { WorkflowSettings, WorkflowState, WorkflowType } from "../domain/workflow.js";

/**
 * Table types for Kysely. Times are epoch milliseconds in `bigint` columns (read back as
 * numbers on both backends, see open-database.ts). Specs are stored as canonical proto3 JSON.
 * State columns are typed with the domain's closed sets, which CHECK constraints hold them to
 * (migration 0006). `changed_revision` is the revision of the commit that last wrote the row.
 */

// Inserted and updated as JSON text: pg would turn JS arrays into Postgres arrays, not jsonb.
type Json<T extends object | null> = JSONColumnType<T>;
/** A bigint column we always read as a JS number. */
type Millis = ColumnType<number, number, number>;
/** The revision of a commit (bigint, read as a number). */
type Revision = ColumnType<number, number, number>;

export interface LabelRow {
  key: string;
  value: string;
}

export interface ResourcePoolsTable {
  id: string;
  /** Null only for the root pool. */
  parent_id: string | null;
  name: string;
  /** `/` for the root, `/a/b` below it. */
  path: string;
  /** The pool's PoolConfig (domain form) as JSON. */
  config: Json<PoolConfig>;
  revision: number;
  created_at: Millis;
  updated_at: Millis;
}

/** One row per job: what queries filter on, plus the runtime (state, goal, versions). */
export interface JobsTable {
  id: string;
  name: string;
  owner: string;
  owning_team: string;
  description: string;
  labels: Json<LabelRow[]>;
  /** Lower-cased name, owner, description and labels, for keyword search. */
  search_text: string;
  respool_id: string;
  instance_count: number;
  state: JobState;
  goal_state: JobGoal;
  config_version: number;
  desired_state_version: number;
  workflow_version: number;
  /** SlaSpec.priority: higher schedules first. */
  priority: Generated<number>;
  /** SlaSpec.maximum_unavailable_instances. */
  max_unavailable: Generated<number>;
  /** Bumped on every runtime change; JobStatus.revision.version. */
  revision: number;
  created_at: Millis;
  updated_at: Millis;
  completed_at: Millis | null;
  changed_revision: ColumnType<number, number | undefined, number>;
}

/** A job spec, stored once per config version. */
export interface JobConfigsTable {
  job_id: string;
  version: number;
  /** JobSpec as proto3 JSON. */
  spec: Json<Record<string, unknown>>;
  /** The pod templates derived from the spec. */
  templates: Json<JobTemplates>;
  created_at: Millis;
}

export interface PodsTable {
  job_id: string;
  instance_id: number;
  run_id: number;
  state: PodState;
  goal_state: PodGoal;
  config_version: number;
  desired_config_version: number;
  host: string | null;
  agent_id: string | null;
  desired_host: string | null;
  ports: Json<Record<string, number>>;
  message: string;
  reason: string;
  failure_count: number;
  healthy: PodHealth;
  prev_run_id: number | null;
  desired_run_id: number | null;
  exit_code: number | null;
  termination_reason: string | null;
  volume_id: string | null;
  revision: number;
  started_at: Millis | null;
  completed_at: Millis | null;
  updated_at: Millis;
  changed_revision: ColumnType<number, number | undefined, number>;
}

export interface PodEventsTable {
  id: Generated<string>;
  job_id: string;
  instance_id: number;
  run_id: number;
  actual_state: PodState;
  desired_state: PodState;
  config_version: number;
  desired_config_version: number;
  agent_id: string;
  hostname: string;
  message: string;
  reason: string;
  prev_run_id: number | null;
  desired_run_id: number | null;
  healthy: string;
  created_at: Millis;
}

export type RangesRow = [number, number][];

export interface WorkflowsTable {
  id: string;
  job_id: string;
  type: WorkflowType;
  state: WorkflowState;
  prev_state: WorkflowState;
  /** UpdateSpec / restart parameters as JSON. */
  spec: Json<WorkflowSettings>;
  opaque_data: string;
  /** The entity versions the workflow moves the job from and to. */
  version: string;
  prev_version: string;
  /** Instance sets as [from, to) ranges. */
  instances_added: Json<RangesRow>;
  instances_removed: Json<RangesRow>;
  instances_updated: Json<RangesRow>;
  instances_done: Json<RangesRow>;
  instances_failed: Json<RangesRow>;
  instances_current: Json<RangesRow>;
  created_at: Millis;
  updated_at: Millis;
}

export interface WorkflowEventsTable {
  id: Generated<string>;
  workflow_id: string;
  job_id: string;
  /** Unused: an event of instances names them in `instances`. */
  instance_id: number | null;
  /** The instances an event is about ([from, to) ranges); null for the workflow as a whole. */
  instances: Json<RangesRow> | null;
  type: WorkflowType;
  state: WorkflowState;
  created_at: Millis;
}

export interface HostsTable {
  hostname: string;
  ip: string;
  state: HostState;
  goal_state: HostGoal;
  capacity: Json<Record<string, number>>;
  labels: Json<LabelRow[]>;
  updated_at: Millis;
}

export interface VolumesTable {
  id: string;
  job_id: string;
  instance_id: number;
  hostname: string;
  state: VolumeState;
  goal_state: VolumeState;
  size_mb: number;
  container_path: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface SecretsTable {
  id: string;
  job_id: string;
  path: string;
  /** The secret bytes; never returned through the API. */
  value: Uint8Array;
  created_at: Millis;
}

/** The revision of the last commit (one row, id 1), and the epoch of the engine that may commit. */
export interface EngineRevisionTable {
  id: number;
  revision: Revision;
  epoch: ColumnType<number, number | undefined, number>;
}

/** What each commit changed, by key (see store/commit/commit-log.ts). */
export interface CommitLogTable {
  revision: Revision;
  committed_at: Millis;
  changes: Json<Record<string, unknown>>;
}

export interface Database {
  engine_revision: EngineRevisionTable;
  commit_log: CommitLogTable;
  resource_pools: ResourcePoolsTable;
  jobs: JobsTable;
  job_configs: JobConfigsTable;
  pods: PodsTable;
  pod_events: PodEventsTable;
  workflows: WorkflowsTable;
  workflow_events: WorkflowEventsTable;
  hosts: HostsTable;
  volumes: VolumesTable;
  secrets: SecretsTable;
}
