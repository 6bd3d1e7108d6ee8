import {
  type ContainerStatus,
  HealthState,
  type PodStatus,
  type PodSummary,
  podStateToJSON,
} from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { enumName } from "../enum-name.js";
import { renderTable } from "../table.js";

const MESSAGE_WIDTH = 60;

/** The run of a pod id `<job id>-<instance>-<run>`. */
export const runOf = (podId: string | undefined): string => podId?.split("-").pop() || "-";

/** The worst health of the pod's probed containers (unhealthy, unknown, healthy); "-" without probes. */
export function healthOf(containers: readonly ContainerStatus[]): string {
  const states = new Set(containers.map((c) => c.healthy?.state));
  if (states.has(HealthState.HEALTH_STATE_UNHEALTHY)) return "unhealthy";
  if (states.has(HealthState.HEALTH_STATE_UNKNOWN)) return "unknown";
  if (states.has(HealthState.HEALTH_STATE_HEALTHY)) return "healthy";
  return "-";
}

export const podState = (s: PodStatus["state"]) => enumName(podStateToJSON, "POD_STATE_", s);

const clip = (text: string) => (text.length > MESSAGE_WIDTH ? `${text.slice(0, MESSAGE_WIDTH - 1)}…` : text);

/** Pods as a table: name, state and goal, run, host, health, message. */
export function podsTable(pods: readonly PodSummary[]): string {
  if (pods.length === 0) return "No pods.\n";
  return renderTable(
    ["POD", "STATE", "GOAL", "RUN", "HOST", "HEALTH", "MESSAGE"],
    pods.map(({ podName, status: s }) => [
      podName?.value ?? "",
      s ? podState(s.state) : "-",
      s ? podState(s.desiredState) : "-",
      runOf(s?.podId?.value),
      s?.host || "-",
      healthOf(s?.containersStatus ?? []),
      clip(s?.message ?? ""),
    ]),
  );
}
