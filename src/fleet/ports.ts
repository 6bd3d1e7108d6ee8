/**
 * What the fleet offers the rest of the system: launch and kill pod runs on hosts, and a stream
 * of what happens to them. Plain TypeScript data only (no proto types); `app` wires an
 * implementation (the SimulatedFleet today) into the engine and the API.
 */
import type { HostSpec, HostState } from "../domain/host.js";
import { type LivenessCheck, type PodState, TERMINAL_FLEET_STATES } from "../domain/pod.js";
import type { Resources } from "../domain/resources.js";

/** The pod states a fleet reports (the rest of the PodState lifecycle is the engine's). */
export const FLEET_POD_STATES = [
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "KILLED",
  "LOST",
] as const satisfies readonly PodState[];
export type FleetPodState = (typeof FLEET_POD_STATES)[number];

/** The states a run ends in on its agent (the domain's list). */
export const TERMINAL_FLEET_POD_STATES = TERMINAL_FLEET_STATES;
export type TerminalFleetPodState = (typeof TERMINAL_FLEET_POD_STATES)[number];

export const isTerminalFleetPodState = (s: FleetPodState): s is TerminalFleetPodState =>
  (TERMINAL_FLEET_POD_STATES as readonly string[]).includes(s);

/** Health of a pod whose containers have liveness checks (absent when none has one). */
export const HEALTH_STATES = ["UNKNOWN", "HEALTHY", "UNHEALTHY"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** Why a pod is in its state; named after Mesos TaskStatus.Reason, as PodStatus.reason is. */
export const FLEET_REASONS = [
  /** The launch itself is malformed: bad command, no containers, bad ports. */
  "REASON_TASK_INVALID",
  /** The host cannot take the pod: not enough resources, or a port already taken. */
  "REASON_INVALID_OFFERS",
  /** No host of that name. */
  "REASON_AGENT_UNKNOWN",
  /** The host is down (or went down while the pod ran). */
  "REASON_AGENT_DISCONNECTED",
  /** A container's command exited non-zero. */
  "REASON_COMMAND_EXECUTOR_FAILED",
  /** A health update: the pod's health changed. */
  "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
  /** A re-report of a state already reported (reconciliation, agent restart, repeated launch/kill). */
  "REASON_RECONCILIATION",
  /** The fleet has never heard of the pod (or has forgotten it). */
  "REASON_TASK_UNKNOWN",
  /** The pod was killed on request before it reached RUNNING (a kill later carries no reason). */
  "REASON_TASK_KILLED_DURING_LAUNCH",
] as const;
export type FleetReason = (typeof FLEET_REASONS)[number];

/** A liveness check, as the domain defines it. */
export type { LivenessCheck } from "../domain/pod.js";

export interface ContainerLaunch {
  readonly name: string;
  /** The command line, e.g. `sleep 5; exit 3` or `./server --port 8080`. */
  readonly command: string;
  readonly livenessCheck?: LivenessCheck;
}

/** One run of a pod to start on a host the scheduler chose. */
export interface PodLaunch {
  /** `<jobId>-<instanceId>-<runId>`. */
  readonly podId: string;
  readonly hostname: string;
  readonly resources: Resources;
  /** Port name → port number assigned on the host. */
  readonly ports: Readonly<Record<string, number>>;
  readonly containers: readonly ContainerLaunch[];
}

export interface PodKill {
  readonly podId: string;
  /** How long the pod may take to stop before it is killed hard (simulated milliseconds). */
  readonly gracePeriodMs: number;
}

/** A pod run changed state (or its health changed, or its state is re-reported). */
export interface PodStatusUpdate {
  readonly kind: "pod";
  readonly podId: string;
  readonly hostname: string;
  /** The agent that runs (or ran) the pod; empty when no agent was ever involved. */
  readonly agentId: string;
  readonly state: FleetPodState;
  /** Set for SUCCEEDED and FAILED. */
  readonly exitCode?: number;
  /** Set for KILLED: SIGTERM when the pod stopped within its grace period, SIGKILL otherwise. */
  readonly signal?: string;
  readonly reason?: FleetReason;
  readonly message: string;
  /** Set when some container has a liveness check. */
  readonly health?: HealthState;
  /** Name of the container that decided this update (the one that failed or turned unhealthy). */
  readonly container?: string;
  /** When it happened, in clock milliseconds. */
  readonly at: number;
}

export type FleetHostState = Extract<HostState, "UP" | "DOWN">;

/** A host came up (its agent registered, possibly under a new agent id) or went down. */
export interface HostEvent {
  readonly kind: "host";
  readonly hostname: string;
  readonly agentId: string;
  readonly state: FleetHostState;
  readonly message: string;
  readonly at: number;
}

export type FleetEvent = PodStatusUpdate | HostEvent;

/**
 * Receives events in batches: everything that happened in one clock tick, in order. Always called
 * from a timer callback, never from inside launch/kill/reconcile.
 */
export type FleetListener = (events: readonly FleetEvent[]) => void;

/** Launch and kill pod runs; hear what happens to them. Outcomes arrive only as events. */
export interface Fleet {
  /** Starts pod runs. A launch that cannot happen is reported as a FAILED or LOST update. */
  launch(pods: readonly PodLaunch[]): void;
  /** Stops pod runs; each ends KILLED. Unknown pods are reported LOST (REASON_TASK_UNKNOWN). */
  kill(pods: readonly PodKill[]): void;
  /**
   * Re-reports the current state of the given pod runs (unknown ones as LOST), or, with no
   * argument, of every pod run the fleet holds that is not finished.
   */
  reconcile(podIds?: readonly string[]): void;
  /** Returns an unsubscribe function. */
  subscribe(listener: FleetListener): () => void;
}

/** What BrowsePodSandbox returns for a run. */
export interface SandboxListing {
  readonly podId: string;
  readonly hostname: string;
  readonly agentId: string;
  /** The agent's HTTP port (where the files would be served). */
  readonly agentPort: number;
  /** The run's sandbox directory; `paths` are inside it. */
  readonly directory: string;
  readonly paths: readonly string[];
}

export interface SandboxBrowser {
  /** The sandbox of a run the fleet knows (running, or finished and still in its host's history). */
  browseSandbox(podId: string): SandboxListing | undefined;
}

/** A live, read-only view of one host. */
export interface FleetHost {
  readonly spec: HostSpec;
  readonly state: FleetHostState;
  readonly agentId: string;
  /** Resources taken by the pod runs on the host that have not finished. */
  readonly allocated: Resources;
  readonly usedPorts: ReadonlySet<number>;
  /** Number of pod runs on the host that have not finished. */
  readonly podCount: number;
}

export interface HostInventory {
  listHosts(): readonly FleetHost[];
  getHost(hostname: string): FleetHost | undefined;
}

/** Faults to inject (tests, demos). Throw NOT_FOUND for an unknown hostname. */
export interface FleetFaults {
  /** Takes a host down: its pod runs become LOST and launches there fail LOST until it comes back. */
  hostDown(hostname: string, message?: string): void;
  /** Brings a host back up, empty, under a new agent id. */
  hostUp(hostname: string): void;
  /**
   * Restarts a host's agent: pods keep running; their state is re-reported after `downtimeMs`
   * (simulated). FAILED_PRECONDITION when the host is down.
   */
  restartAgent(hostname: string, downtimeMs?: number): void;
  /** Adds `extraMs` (simulated) to every later launch on the host; 0 clears it. */
  setLaunchSlowdown(hostname: string, extraMs: number): void;
}
