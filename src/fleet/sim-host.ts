/** The simulated fleet's mutable state: hosts, the runs on them, and the updates they produce. */
import type { HostSpec } from "../domain/host.js";
import { EPSILON, RESOURCE_KINDS, type Resources } from "../domain/resources.js";
import type { LaunchPlan } from "./launch-plan.js";
import type {
  FleetHost,
  FleetHostState,
  FleetPodState,
  FleetReason,
  HealthState,
  HostEvent,
  PodLaunch,
  PodStatusUpdate,
} from "./ports.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class SimHost implements FleetHost {
  state: FleetHostState = "UP";
  agentId: string;
  generation = 0;
  readonly allocated: Mutable<Resources> = { cpu: 0, memory: 0, disk: 0, gpu: 0 };
  readonly usedPorts = new Set<number>();
  /** Runs on the host that have not finished. */
  readonly active = new Set<Run>();
  /** Finished runs, oldest first. */
  readonly history: Run[] = [];
  extraLaunchDelayMs = 0;

  constructor(readonly spec: HostSpec) {
    this.agentId = agentIdOf(spec.hostname, 0);
  }

  get podCount(): number {
    return this.active.size;
  }
}

export const agentIdOf = (hostname: string, generation: number): string => `${hostname}-S${generation}`;

/** One run of a pod. Kept small: the launch and plan are shared references. */
export class Run {
  /** Undefined until LAUNCHED is reported. */
  state: FleetPodState | undefined = undefined;
  /** Bumped whenever pending events for this run become stale (kill, end). */
  token = 0;
  killing = false;
  health: HealthState | undefined = undefined;
  exitCode: number | undefined = undefined;
  signal: string | undefined = undefined;
  reason: FleetReason | undefined = undefined;
  message = "";
  container: string | undefined = undefined;
  /** When RUNNING was reached (clock ms). */
  runningAt = 0;
  /** Per liveness check: consecutive failures and current health. */
  checkFailures: number[] | undefined = undefined;
  checkHealth: HealthState[] | undefined = undefined;

  constructor(
    readonly launch: PodLaunch,
    readonly host: SimHost,
    readonly agentId: string,
    readonly plan: LaunchPlan,
  ) {}
}

/** Why a launch does not fit its host, or undefined when it does. */
export function misfitOf(host: SimHost, pod: PodLaunch): string | undefined {
  const cap = host.spec.capacity;
  for (const kind of RESOURCE_KINDS) {
    const want = pod.resources[kind];
    const free = cap[kind] - host.allocated[kind];
    if (want > free + EPSILON) {
      return `insufficient ${kind} on ${host.spec.hostname}: requested ${want}, free ${round(free)} of ${cap[kind]}`;
    }
  }
  const { begin, end } = host.spec.ports;
  const seen = new Set<number>();
  for (const [name, port] of Object.entries(pod.ports)) {
    if (port < begin || port >= end) {
      return `port ${port} (${name}) is outside ${host.spec.hostname}'s port range [${begin}, ${end})`;
    }
    if (host.usedPorts.has(port)) return `port ${port} (${name}) is already in use on ${host.spec.hostname}`;
    if (seen.has(port)) return `port ${port} (${name}) is assigned twice in the launch`;
    seen.add(port);
  }
  return undefined;
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

export function update(
  run: Run,
  at: number,
  reason: FleetReason | undefined,
  message: string,
): PodStatusUpdate {
  return {
    kind: "pod",
    podId: run.launch.podId,
    hostname: run.host.spec.hostname,
    agentId: run.agentId,
    state: run.state!,
    exitCode: run.state === "SUCCEEDED" || run.state === "FAILED" ? run.exitCode : undefined,
    signal: run.state === "KILLED" ? run.signal : undefined,
    reason,
    message,
    health: run.health,
    container: run.container,
    at,
  };
}

export function rejected(
  pod: PodLaunch,
  agentId: string,
  at: number,
  state: FleetPodState,
  reason: FleetReason,
  message: string,
): PodStatusUpdate {
  return { kind: "pod", podId: pod.podId, hostname: pod.hostname, agentId, state, reason, message, at };
}

export const unknownPod = (podId: string, at: number, message: string): PodStatusUpdate => ({
  kind: "pod",
  podId,
  hostname: "",
  agentId: "",
  state: "LOST",
  reason: "REASON_TASK_UNKNOWN",
  message,
  at,
});

export const hostEvent = (host: SimHost, at: number, message: string): HostEvent => ({
  kind: "host",
  hostname: host.spec.hostname,
  agentId: host.agentId,
  state: host.state,
  message,
  at,
});
