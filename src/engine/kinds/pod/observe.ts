import {
  isNoFaultEnd,
  isTerminalPodState,
  type PodRuntime,
  parsePodId,
  TERMINAL_FLEET_STATES,
} from "../../../domain/pod.js";
import type { PodObservation } from "../../ports.js";
import { moveTo, type PodStep } from "./pod-step.js";

const endReason = (o: PodObservation, forgotten: boolean): string =>
  forgotten ? "RUN_UNKNOWN_TO_AGENT" : o.state === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";

const TERMINAL = new Set<string>(TERMINAL_FLEET_STATES);
const ORDER = { LAUNCHED: 1, STARTING: 2, RUNNING: 3 } as const;

/**
 * What a fleet report means for the pod. Reports about an older run, or about the current one
 * once it has ended, are ignored, except that a run still alive that should not be is killed. A
 * liveness failure of a pod that should run kills it (it then restarts as a new run, counted as
 * a failure).
 */
export function observe(pod: PodRuntime, o: PodObservation, now: number): PodStep & { killStale?: string } {
  const run = parsePodId(o.podId)?.runId;
  // An older run, or one the engine has ended (a launch it gave up on): it must not run on.
  if (run !== pod.runId || isTerminalPodState(pod.state))
    return TERMINAL.has(o.state) ? {} : { killStale: o.podId };

  if (TERMINAL.has(o.state)) {
    const requested = isNoFaultEnd(pod.terminationReason) && o.state === "KILLED";
    const healthKill = pod.terminationReason === "FAILED_HEALTH_CHECK";
    // The agent does not know the run (any more): lost with it, through no fault of the pod.
    const forgotten = o.state === "LOST" && o.reason === "REASON_TASK_UNKNOWN";
    return {
      pod: moveTo(pod, o.state as PodRuntime["state"], now, {
        agentId: o.agentId || pod.agentId,
        exitCode: o.exitCode ?? null,
        message: o.message,
        reason: o.reason ?? "",
        completedAt: o.at,
        terminationReason: requested || healthKill ? pod.terminationReason : endReason(o, forgotten),
        // Any other end counts: a stateless pod is meant to run for ever.
        failureCount:
          requested || healthKill || forgotten || pod.goal !== "RUNNING"
            ? pod.failureCount
            : pod.failureCount + 1,
      }),
      event: true,
      recheckAt: now,
    };
  }

  const health = o.health ?? pod.healthy;
  const stopping = pod.state === "KILLING" || pod.state === "PREEMPTING";
  if (health === "UNHEALTHY" && pod.goal === "RUNNING" && !stopping) {
    return {
      pod: moveTo(pod, "KILLING", now, {
        healthy: "UNHEALTHY",
        message: o.message || "liveness check failed",
        reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
        terminationReason: "FAILED_HEALTH_CHECK",
        failureCount: pod.failureCount + 1,
      }),
      event: true,
      kill: true,
    };
  }
  const next = o.state as keyof typeof ORDER;
  const current = ORDER[pod.state as keyof typeof ORDER] ?? 0;
  if (stopping || ORDER[next] < current) {
    return health !== pod.healthy
      ? { pod: { ...pod, healthy: health, updatedAt: now, revision: pod.revision + 1 }, event: true }
      : {};
  }
  if (ORDER[next] === current && health === pod.healthy) return {};
  return {
    pod: moveTo(pod, next, now, {
      agentId: o.agentId,
      healthy: health,
      message: o.message,
      reason: o.reason ?? "",
      startedAt: next === "RUNNING" ? (pod.startedAt ?? o.at) : pod.startedAt,
    }),
    event: true,
  };
}
