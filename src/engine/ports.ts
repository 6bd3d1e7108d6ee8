import type { HostSpec, HostState } from "../domain/host.js";
import type { JobRecord } from "../domain/job.js";
import type { JobTemplates, LivenessCheck, PodRuntime } from "../domain/pod.js";
import type { Resources } from "../domain/resources.js";
import type { RuntimeBatch } from "../domain/runtime-batch.js";
import type { VolumeRecord } from "../domain/volume.js";
import type { WorkflowRecord } from "../domain/workflow.js";
import type { HostSnapshot, PlacementPod, Plan } from "../scheduler/placement/types.js";
// The scheduler's public types: the engine hands it snapshots and acts on its plans.
import type { PoolDecision, PoolSnapshot } from "../scheduler/schedule-pools.js";

/** Where the engine's state lives durably. */
export interface RuntimeStore {
  /** Writes one tick's changes in one transaction. */
  commit(batch: RuntimeBatch): Promise<void>;
  /** Every job, with the templates of each config version its pods use and its latest workflow. */
  loadJobs(): Promise<
    { job: JobRecord; templates: Map<number, JobTemplates>; workflow: WorkflowRecord | undefined }[]
  >;
  /** Every pod, in pages. */
  loadPods(): AsyncIterable<readonly PodRuntime[]>;
  /** Every volume that is not DELETED. */
  loadVolumes(): Promise<readonly VolumeRecord[]>;
  /** One pod's row as stored now. */
  loadPod(jobId: string, instance: number): Promise<PodRuntime | undefined>;
  /** A job's row and templates as stored now (after the API changed it). */
  loadJob(id: string): Promise<{ job: JobRecord; templates: Map<number, JobTemplates> } | undefined>;
}

/** A pod run for the fleet to start. */
export interface LaunchRequest {
  readonly podId: string;
  readonly hostname: string;
  readonly resources: Resources;
  readonly ports: Readonly<Record<string, number>>;
  readonly containers: readonly {
    readonly name: string;
    readonly command: string;
    readonly livenessCheck?: LivenessCheck;
  }[];
}

/** What the fleet reports about a pod run. */
export interface PodObservation {
  readonly kind: "pod";
  readonly podId: string;
  readonly hostname: string;
  readonly agentId: string;
  readonly state: "LAUNCHED" | "STARTING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "KILLED" | "LOST";
  readonly exitCode?: number;
  readonly reason?: string;
  readonly message: string;
  readonly health?: "UNKNOWN" | "HEALTHY" | "UNHEALTHY";
  readonly at: number;
}

export interface HostObservation {
  readonly kind: "host";
  readonly hostname: string;
  readonly state: "UP" | "DOWN";
}

export interface EngineFleet {
  launch(pods: readonly LaunchRequest[]): void;
  kill(pods: readonly { podId: string; gracePeriodMs: number }[]): void;
  reconcile(podIds?: readonly string[]): void;
  subscribe(listener: (events: readonly (PodObservation | HostObservation)[]) => void): () => void;
}

/** The hosts placement may consider, with their state (maintenance and agent combined). */
export interface EngineHosts {
  list(): readonly { spec: HostSpec; state: HostState }[];
  /** Hosts in maintenance whose pods are to be moved off (DRAINING); usually empty. */
  draining(): ReadonlySet<string>;
  /** Told after a commit in which runs left hosts (or jobs went): a draining host may be empty now. */
  podsLeftHosts(): void;
}

/** The scheduler core: the pool side (entitlement, admission) and placement. */
export interface EngineScheduler {
  pools(snapshot: Omit<PoolSnapshot, "pools">): Promise<PoolDecision>;
  place(hosts: readonly HostSnapshot[], pods: readonly PlacementPod[]): Plan | Promise<Plan>;
}

/** The engine's clockwork, all in (simulated) milliseconds. */
export interface EngineTimings {
  /** First restart delay of a failing pod; doubles per failure. Peloton: 30 s. */
  readonly restartBackoffMs: number;
  /** Ceiling of the restart delay. Peloton: 60 min. */
  readonly restartBackoffCapMs: number;
  /** A launch not confirmed by the fleet within this is taken as lost. */
  readonly launchTimeoutMs: number;
  /** A kill not confirmed within grace period + this is sent again. */
  readonly killTimeoutMs: number;
  /** How often pending pods are offered to the scheduler again. */
  readonly scheduleIntervalMs: number;
  /** Retry delay after a failed commit; doubles per attempt up to 32 times this. */
  readonly commitRetryMs: number;
  /** New pod rows one tick creates at most (large jobs are created over several ticks). */
  readonly podsCreatedPerTick: number;
}

export const DEFAULT_TIMINGS: EngineTimings = {
  restartBackoffMs: 30_000,
  restartBackoffCapMs: 3_600_000,
  launchTimeoutMs: 120_000,
  killTimeoutMs: 60_000,
  scheduleIntervalMs: 1_000,
  commitRetryMs: 500,
  podsCreatedPerTick: 20_000,
};
