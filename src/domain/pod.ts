import type { Constraint } from "./constraints.js";
import type { Label } from "./labels.js";
import type { Resources } from "./resources.js";
import type { VolumeSpec } from "./volume.js";

/** Pod states as the v1alpha PodState enum names them (without the INVALID zero value). */
export const POD_STATES = [
  "INITIALIZED",
  "PENDING",
  "READY",
  "PLACING",
  "PLACED",
  "LAUNCHING",
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "LOST",
  "KILLING",
  "KILLED",
  "PREEMPTING",
  "DELETED",
] as const;
export type PodState = (typeof POD_STATES)[number];

/** Why a run ended, as TerminationStatus.Reason names it (plus the engine's own health kill). */
export const TERMINATION_REASONS = [
  "KILLED_ON_REQUEST",
  "FAILED",
  "KILLED_HOST_MAINTENANCE",
  "PREEMPTED_RESOURCES",
  "FAILED_HEALTH_CHECK",
  "SUCCEEDED",
  /** The agent no longer knew the run (e.g. the simulated agents went with a restarted server). */
  "RUN_UNKNOWN_TO_AGENT",
  /** Killed to start again on a new configuration version (an update or a restart workflow). */
  "KILLED_FOR_UPDATE",
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

/**
 * Ends that are no fault of the pod (the system stopped it on purpose, or its agent lost track
 * of it): they count as no failure and the pod restarts without delay.
 */
export const isNoFaultEnd = (reason: string | null): boolean =>
  reason === "KILLED_ON_REQUEST" ||
  reason === "PREEMPTED_RESOURCES" ||
  reason === "KILLED_HOST_MAINTENANCE" ||
  reason === "RUN_UNKNOWN_TO_AGENT" ||
  reason === "KILLED_FOR_UPDATE";

/** Health of a pod as PodStatus reports it. */
export const POD_HEALTH = ["DISABLED", "UNKNOWN", "HEALTHY", "UNHEALTHY"] as const;
export type PodHealth = (typeof POD_HEALTH)[number];

/** The goal states a pod can be driven to. */
export const POD_GOALS = ["RUNNING", "KILLED", "DELETED"] as const;
export type PodGoal = (typeof POD_GOALS)[number];

export const TERMINAL_POD_STATES = [
  "SUCCEEDED",
  "FAILED",
  "LOST",
  "KILLED",
  "DELETED",
] as const satisfies readonly PodState[];
/** The states a run ends in on its agent (every terminal state but DELETED, which is the engine's). */
export const TERMINAL_FLEET_STATES = [
  "SUCCEEDED",
  "FAILED",
  "LOST",
  "KILLED",
] as const satisfies readonly PodState[];

export const isTerminalPodState = (s: PodState): boolean =>
  (TERMINAL_POD_STATES as readonly PodState[]).includes(s);

/** States in which a run holds (or is about to hold) resources on a host. */
export const ON_HOST_STATES = [
  "PLACED",
  "LAUNCHING",
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "KILLING",
  "PREEMPTING",
] as const satisfies readonly PodState[];
export const isOnHost = (s: PodState): boolean => (ON_HOST_STATES as readonly PodState[]).includes(s);

/** A liveness check in the fleet's command language; zero values take Mesos' defaults (15 s, 10 s, 20 s, 3). */
export interface LivenessCheck {
  /** A command in the same language as the container's command. */
  readonly command: string;
  readonly initialIntervalSecs: number;
  readonly intervalSecs: number;
  readonly timeoutSecs: number;
  readonly maxConsecutiveFailures: number;
}

export interface ContainerTemplate {
  readonly name: string;
  readonly command: string;
  readonly liveness?: LivenessCheck;
}

export interface PortTemplate {
  readonly name: string;
  /** 0 asks for a dynamic port from the host's range. */
  readonly value: number;
}

/** What one instance runs, in the terms the engine and the scheduler reason about. */
export interface PodTemplate {
  readonly resources: Resources;
  readonly ports: readonly PortTemplate[];
  readonly labels: readonly Label[];
  readonly constraint?: Constraint;
  readonly containers: readonly ContainerTemplate[];
  /** Failed runs after which the instance is not restarted again; 0 means no limit. */
  readonly maxFailures: number;
  readonly killGracePeriodMs: number;
  readonly controller: boolean;
  readonly revocable: boolean;
  readonly preemptible: boolean;
  readonly killOnPreempt: boolean;
  readonly desiredHost?: string;
  /** The persistent volume the pod spec asks for. */
  readonly volume?: VolumeSpec;
}

/** A job config's templates: the default one, and instances that differ from it. */
export interface JobTemplates {
  readonly default: PodTemplate | null;
  readonly instances: Readonly<Record<string, PodTemplate>>;
}

export const templateOf = (t: JobTemplates, instance: number): PodTemplate => {
  const own = t.instances[String(instance)];
  if (own) return own;
  if (!t.default) throw new Error(`no pod template for instance ${instance}`);
  return t.default;
};

/** One instance's current run and where it should go. */
export interface PodRuntime {
  readonly jobId: string;
  readonly instance: number;
  readonly runId: number;
  readonly state: PodState;
  readonly goal: PodGoal;
  readonly configVersion: number;
  readonly desiredConfigVersion: number;
  readonly host: string | null;
  readonly agentId: string | null;
  readonly ports: Readonly<Record<string, number>>;
  readonly message: string;
  readonly reason: string;
  readonly failureCount: number;
  readonly healthy: PodHealth;
  readonly prevRunId: number | null;
  readonly exitCode: number | null;
  readonly terminationReason: string | null;
  /** The instance's persistent volume (PodStatus.volume_id), once it has one. */
  readonly volumeId: string | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly updatedAt: number;
  readonly revision: number;
}

/**
 * A run that ended on its own after `restart_policy.max_failures` failures: the instance stays
 * down (0 means no limit).
 */
export const hasGivenUp = (pod: PodRuntime, maxFailures: number): boolean =>
  isTerminalPodState(pod.state) &&
  !isNoFaultEnd(pod.terminationReason) &&
  maxFailures > 0 &&
  pod.failureCount >= maxFailures;

export const podName = (jobId: string, instance: number): string => `${jobId}-${instance}`;
export const podId = (jobId: string, instance: number, runId: number): string =>
  `${jobId}-${instance}-${runId}`;

const POD_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)$/i;
const POD_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)-(\d+)$/i;

/** Splits `<jobId>-<instance>`; undefined when it is not one. */
export function parsePodName(name: string): { jobId: string; instance: number } | undefined {
  const m = POD_NAME.exec(name);
  return m ? { jobId: m[1]!.toLowerCase(), instance: Number(m[2]) } : undefined;
}

/** Splits `<jobId>-<instance>-<runId>`; undefined when it is not one. */
export function parsePodId(id: string): { jobId: string; instance: number; runId: number } | undefined {
  const m = POD_ID.exec(id);
  return m ? { jobId: m[1]!.toLowerCase(), instance: Number(m[2]), runId: Number(m[3]) } : undefined;
}

/** A query of one job's pods, as QueryPods asks it (empty filters match every pod). */
export interface PodQuery {
  readonly jobId: string;
  readonly states: readonly PodState[];
  readonly instances?: readonly number[];
  readonly hosts: readonly string[];
  readonly offset: number;
  readonly limit: number;
}
