import type { ChangeSet } from "../domain/change-set.js";
import type { HostSpec, HostState } from "../domain/host.js";
import type { JobRecord } from "../domain/job.js";
import type { JobTemplates, LivenessCheck, PodRuntime } from "../domain/pod.js";
import type { Resources } from "../domain/resources.js";
import type { PoolNode } from "../domain/respool.js";
import type { RuntimeSnapshot } from "../domain/runtime-snapshot.js";
import type { HostSnapshot, PlacementPod, Plan } from "../scheduler/placement/types.js";
// The scheduler's public types: the engine hands it snapshots and acts on its plans.
import type { PoolDecision, PoolSnapshot } from "../scheduler/schedule-pools.js";
import type { EntityKind } from "./loop/entity-key.js";

/** Where the engine's state lives durably: the one write path, and what the engine starts from. */
export interface EngineStore {
  /**
   * Writes one change set in one transaction as `revision`, which must follow the stored one.
   * When the stored revision is not `revision − 1` nothing is written and the promise rejects
   * with an error named "RevisionConflict": the engine then reloads what is stored. When another
   * server has taken the leader lease, it rejects with an error named "Fenced": this engine must
   * never commit again.
   */
  commit(changes: ChangeSet, revision: number, at: number): Promise<void>;
  /** Everything but the pods, as of the last commit. */
  load(): Promise<RuntimeSnapshot>;
  /** Every pod, in pages. */
  loadPods(): AsyncIterable<readonly PodRuntime[]>;
  /** One pod's row as stored now. */
  loadPod(jobId: string, instance: number): Promise<PodRuntime | undefined>;
  /** A job's row and templates as stored now. */
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

/** A host of the fleet: what it is, and whether its agent is connected. */
export interface FleetHostView {
  readonly spec: HostSpec;
  readonly state: "UP" | "DOWN";
}

export interface EngineFleet {
  launch(pods: readonly LaunchRequest[]): void;
  kill(pods: readonly { podId: string; gracePeriodMs: number }[]): void;
  reconcile(podIds?: readonly string[]): void;
  subscribe(listener: (events: readonly (PodObservation | HostObservation)[]) => void): () => void;
  /** The fleet's hosts. */
  hosts(): readonly FleetHostView[];
  /** Runs on the host that its agent holds and that have not finished. */
  podCount(hostname: string): number;
  /** Whether the host's agent is connected (the fleet has not lost the host). */
  agentUp(hostname: string): boolean;
  /** Takes a host out of service (it reached DOWN in maintenance). */
  takeDown(hostname: string): void;
  /** Returns a host to service (maintenance completed). */
  bringUp(hostname: string): void;
}

/** The scheduler core: the pool side (entitlement, admission) and placement. */
export interface EngineScheduler {
  pools(
    snapshot: Omit<PoolSnapshot, "pools"> & { readonly pools: readonly PoolNode[] },
  ): Promise<PoolDecision>;
  place(hosts: readonly HostSnapshot[], pods: readonly PlacementPod[]): Plan | Promise<Plan>;
}

/** What a tick did, for the metrics port. */
export interface TickFigures {
  readonly durationMs: number;
  readonly commitMs: number;
  readonly rows: number;
  readonly commands: number;
  readonly observations: number;
  readonly dueKeys: number;
}

/** The engine's measurements; a no-op by default (app/ serves them to Prometheus). */
export interface EngineMetrics {
  tick(o: TickFigures): void;
  queueDepth(n: number): void;
  pendingPods(n: number): void;
  /** `count` decisions of `kind` took action `name` in a tick. */
  action(kind: EntityKind, name: string, count: number): void;
  actionError(kind: EntityKind, name: string): void;
  commitFailed(): void;
  podsByState(counts: Readonly<Record<string, number>>): void;
  placed(n: number): void;
}

export const NO_METRICS: EngineMetrics = {
  tick() {},
  queueDepth() {},
  pendingPods() {},
  action() {},
  actionError() {},
  commitFailed() {},
  podsByState() {},
  placed() {},
};

export interface EngineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
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
  /** Retry delay of a key whose decision threw; doubles per failure up to 64 times this. */
  readonly keyRetryMs: number;
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
  keyRetryMs: 1_000,
  podsCreatedPerTick: 20_000,
};

/** Host states as placement sees them (maintenance and agent combined). */
export interface PlacementHost {
  readonly spec: HostSpec;
  readonly state: HostState;
}
