import type { Label } from "./labels.js";
import type { JobTemplates } from "./pod.js";

/** Job states as the v1alpha JobState enum names them (without the INVALID zero value). */
export const JOB_STATES = [
  "INITIALIZED",
  "PENDING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "KILLED",
  "KILLING",
  "UNINITIALIZED",
  "DELETED",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The goals a job can be driven to (StartJob, StopJob, DeleteJob). */
export const JOB_GOALS = ["RUNNING", "KILLED", "DELETED"] as const satisfies readonly JobState[];
export type JobGoal = (typeof JOB_GOALS)[number];

/** A job in one of these states has stopped: DeleteJob takes it without `force`. */
export const STOPPED_JOB_STATES: readonly JobState[] = ["KILLED", "SUCCEEDED", "FAILED"];

/** The part of a job that queries filter on and that the runtime tracks. */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly owningTeam: string;
  readonly description: string;
  readonly labels: readonly Label[];
  readonly respoolId: string;
  readonly instanceCount: number;
  /** SlaSpec.priority: higher schedules first. */
  readonly priority: number;
  /** SlaSpec.maximum_unavailable_instances (0: no limit given). */
  readonly maxUnavailable: number;
  readonly state: JobState;
  readonly goalState: JobGoal;
  readonly configVersion: number;
  readonly desiredStateVersion: number;
  readonly workflowVersion: number;
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly completedAt: number | null;
}

/** Properties a job query may order by. */
export const JOB_ORDER_PROPERTIES = ["creation_time", "completion_time", "name", "owner", "state"] as const;
export type JobOrderProperty = (typeof JOB_ORDER_PROPERTIES)[number];

export interface TimeRange {
  readonly min?: number;
  readonly max?: number;
}

/** A job query, as QueryJobs asks it; every filter left empty matches all jobs. */
export interface JobQuery {
  readonly labels: readonly Label[];
  readonly keywords: readonly string[];
  readonly states: readonly JobState[];
  /** Pool ids to match (a pool and its descendants), or undefined for all pools. */
  readonly respoolIds?: readonly string[];
  readonly owner?: string;
  readonly name?: string;
  readonly creationTime?: TimeRange;
  readonly completionTime?: TimeRange;
  readonly offset: number;
  readonly limit: number;
  /** Cap on how many matches the query considers at all; 0 means no cap. */
  readonly maxLimit: number;
  readonly orderBy: readonly { readonly property: JobOrderProperty; readonly descending: boolean }[];
}

export interface JobQueryResult {
  readonly records: readonly JobRecord[];
  /** How many jobs match (capped by maxLimit when set). */
  readonly total: number;
}

/** One configuration version of a job: the JobSpec as given (proto3 JSON) and its pod templates. */
export interface JobConfigRecord {
  readonly jobId: string;
  readonly version: number;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly templates: JobTemplates;
  readonly createdAt: number;
}

/** A secret of a job; its value is stored and never returned through the API. */
export interface SecretRecord {
  readonly id: string;
  readonly jobId: string;
  readonly path: string;
  readonly value: Uint8Array;
}
