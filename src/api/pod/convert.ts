import type { StoredPodEvent } from "../../domain/change-set.js";
import { versionText } from "../../domain/entity-version.js";
import type { JobRecord } from "../../domain/job.js";
import {
  isOnHost,
  isTerminalPodState,
  POD_HEALTH,
  POD_STATES,
  type PodGoal,
  type PodHealth,
  type PodRuntime,
  type PodState,
  type PodTemplate,
  podId,
} from "../../domain/pod.js";
import { RESOURCE_KINDS } from "../../domain/resources.js";
import {
  ContainerState,
  type ContainerStatus,
  HealthState,
  type PodEvent,
  type PodStatus,
  PodState as ProtoPodState,
  type TerminationStatus,
  TerminationStatus_Reason,
} from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { rfc3339 } from "../fields.js";

export const PROTO_POD_STATE: Record<PodState, ProtoPodState> = Object.fromEntries(
  POD_STATES.map((s) => [s, ProtoPodState[`POD_STATE_${s}`]]),
) as Record<PodState, ProtoPodState>;

/** Proto PodState values to domain states (INVALID and unknown values are absent). */
export const POD_STATE_OF = new Map<number, PodState>(POD_STATES.map((s) => [PROTO_POD_STATE[s], s]));

const PROTO_HEALTH: Record<PodHealth, HealthState> = Object.fromEntries(
  POD_HEALTH.map((h) => [h, HealthState[`HEALTH_STATE_${h}`]]),
) as Record<PodHealth, HealthState>;

/** What a pod's state means for each of its containers. */
export const CONTAINER_STATE = {
  INITIALIZED: ContainerState.CONTAINER_STATE_PENDING,
  PENDING: ContainerState.CONTAINER_STATE_PENDING,
  READY: ContainerState.CONTAINER_STATE_PENDING,
  PLACING: ContainerState.CONTAINER_STATE_PENDING,
  PLACED: ContainerState.CONTAINER_STATE_PENDING,
  LAUNCHING: ContainerState.CONTAINER_STATE_LAUNCHED,
  LAUNCHED: ContainerState.CONTAINER_STATE_LAUNCHED,
  STARTING: ContainerState.CONTAINER_STATE_STARTING,
  RUNNING: ContainerState.CONTAINER_STATE_RUNNING,
  SUCCEEDED: ContainerState.CONTAINER_STATE_SUCCEEDED,
  FAILED: ContainerState.CONTAINER_STATE_FAILED,
  LOST: ContainerState.CONTAINER_STATE_FAILED,
  KILLING: ContainerState.CONTAINER_STATE_KILLING,
  KILLED: ContainerState.CONTAINER_STATE_KILLED,
  PREEMPTING: ContainerState.CONTAINER_STATE_KILLING,
  DELETED: ContainerState.CONTAINER_STATE_KILLED,
} as const satisfies Record<PodState, ContainerState>;

/** The entity version a pod runs (or should run): its config version with the job's other parts. */
export const podVersion = (configVersion: number, job: JobRecord): string => versionText(job, configVersion);

/** Ended states that did not end well: their containers carry a TerminationStatus. */
const UNSUCCESSFUL_END: readonly PodState[] = ["FAILED", "LOST", "KILLED", "DELETED"];

const TERMINATION_REASON: Readonly<Record<string, TerminationStatus_Reason>> = {
  KILLED_ON_REQUEST: TerminationStatus_Reason.TERMINATION_STATUS_REASON_KILLED_ON_REQUEST,
  // v1alpha has no reason of its own for an update: the run was killed on request.
  KILLED_FOR_UPDATE: TerminationStatus_Reason.TERMINATION_STATUS_REASON_KILLED_ON_REQUEST,
  KILLED_HOST_MAINTENANCE: TerminationStatus_Reason.TERMINATION_STATUS_REASON_KILLED_HOST_MAINTENANCE,
  PREEMPTED_RESOURCES: TerminationStatus_Reason.TERMINATION_STATUS_REASON_PREEMPTED_RESOURCES,
};

function terminationStatus(pod: PodRuntime): TerminationStatus | undefined {
  if (!UNSUCCESSFUL_END.includes(pod.state)) return undefined;
  return {
    reason:
      TERMINATION_REASON[pod.terminationReason ?? ""] ??
      TerminationStatus_Reason.TERMINATION_STATUS_REASON_FAILED,
    exitCode: pod.exitCode ?? 0,
    signal: "",
  };
}

/**
 * The run a pod should have: the current one while it is live and should run; the next one
 * once it has ended (or is being ended) and should run again; none when it should stay down.
 */
export function desiredRunId(goal: PodState | PodGoal, state: PodState, runId: number): number | undefined {
  if (goal !== "RUNNING") return undefined;
  if (isTerminalPodState(state) || state === "KILLING" || state === "PREEMPTING") return runId + 1;
  return runId;
}

/** PodStatus of a pod's current run. `template` is what the run runs (its containers). */
export function podStatus(pod: PodRuntime, template: PodTemplate | undefined, job: JobRecord): PodStatus {
  const id = podId(pod.jobId, pod.instance, pod.runId);
  const containers = template?.containers ?? [];
  const termination = terminationStatus(pod);
  const desired = desiredRunId(pod.goal, pod.state, pod.runId);
  const containersStatus: ContainerStatus[] = containers.map((c) => ({
    name: c.name,
    state: CONTAINER_STATE[pod.state],
    ports: { ...pod.ports },
    message: pod.message,
    reason: pod.reason,
    failureCount: pod.failureCount,
    healthy: { state: PROTO_HEALTH[pod.healthy], output: "" },
    image: "",
    startTime: rfc3339(pod.startedAt),
    completionTime: rfc3339(pod.completedAt),
    ...(termination ? { terminationStatus: termination } : {}),
  }));
  return {
    state: PROTO_POD_STATE[pod.state],
    podId: { value: id },
    startTime: rfc3339(pod.startedAt),
    completionTime: rfc3339(pod.completedAt),
    host: pod.host ?? "",
    initContainersStatus: [],
    containersStatus,
    desiredState: PROTO_POD_STATE[pod.goal],
    message: pod.message,
    reason: pod.reason,
    failureCount: pod.failureCount,
    volumeId: pod.volumeId ? { value: pod.volumeId } : undefined,
    version: { value: podVersion(pod.configVersion, job) },
    desiredVersion: { value: podVersion(pod.desiredConfigVersion, job) },
    agentId: pod.agentId ? { value: pod.agentId } : undefined,
    revision: {
      version: String(pod.revision),
      // Runs keep no creation time of their own: the pod exists since its job does.
      createdAt: String(job.createdAt),
      updatedAt: String(pod.updatedAt),
      updatedBy: "",
    },
    prevPodId: pod.prevRunId !== null ? { value: podId(pod.jobId, pod.instance, pod.prevRunId) } : undefined,
    resourceUsage:
      template && isOnHost(pod.state)
        ? Object.fromEntries(RESOURCE_KINDS.map((k) => [k, template.resources[k]]))
        : {},
    desiredPodId: desired !== undefined ? { value: podId(pod.jobId, pod.instance, desired) } : undefined,
    desiredHost: "",
  };
}

const healthName = (healthy: string): string => `HEALTH_STATE_${healthy || "INVALID"}`;

/** One recorded transition as a PodEvent; `job` gives the non-config parts of the versions. */
export function podEvent(e: StoredPodEvent, job: JobRecord): PodEvent {
  const desired = desiredRunId(e.desiredState, e.actualState, e.runId);
  return {
    podId: { value: podId(e.jobId, e.instance, e.runId) },
    actualState: `POD_STATE_${e.actualState}`,
    desiredState: `POD_STATE_${e.desiredState}`,
    timestamp: rfc3339(e.at),
    version: { value: podVersion(e.configVersion, job) },
    desiredVersion: { value: podVersion(e.desiredConfigVersion, job) },
    agentId: e.agentId,
    hostname: e.hostname,
    message: e.message,
    reason: e.reason,
    prevPodId: e.prevRunId !== null ? { value: podId(e.jobId, e.instance, e.prevRunId) } : undefined,
    healthy: healthName(e.healthy),
    desiredPodId: desired !== undefined ? { value: podId(e.jobId, e.instance, desired) } : undefined,
  };
}

/**
 * The status of an earlier run, rebuilt from its events (oldest first): the last event gives
 * its state, host and message; the first RUNNING event its start, a final event its end.
 * Undefined when the run has no events.
 */
export function pastRunStatus(events: readonly StoredPodEvent[], job: JobRecord): PodStatus | undefined {
  const last = events[events.length - 1];
  if (!last) return undefined;
  const started = events.find((e) => e.actualState === "RUNNING");
  return {
    state: PROTO_POD_STATE[last.actualState],
    podId: { value: podId(last.jobId, last.instance, last.runId) },
    startTime: rfc3339(started?.at),
    completionTime: isTerminalPodState(last.actualState) ? rfc3339(last.at) : "",
    host: last.hostname,
    initContainersStatus: [],
    containersStatus: [],
    desiredState: PROTO_POD_STATE[last.desiredState],
    message: last.message,
    reason: last.reason,
    failureCount: 0,
    volumeId: undefined,
    version: { value: podVersion(last.configVersion, job) },
    desiredVersion: { value: podVersion(last.desiredConfigVersion, job) },
    agentId: last.agentId ? { value: last.agentId } : undefined,
    revision: undefined,
    prevPodId:
      last.prevRunId !== null ? { value: podId(last.jobId, last.instance, last.prevRunId) } : undefined,
    resourceUsage: {},
    desiredPodId: undefined,
    desiredHost: "",
  };
}
