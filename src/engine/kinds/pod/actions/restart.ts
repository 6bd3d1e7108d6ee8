import { hasGivenUp, isNoFaultEnd } from "../../../../domain/pod.js";
import { backoffMs } from "../../../../lib/backoff.js";
import type { PodContext, PodStep } from "../pod-step.js";

/**
 * A finished run of a pod that should be running starts again as a new run. A run that ended
 * on its own (exit, loss, failed health) waits min(base·2^(failures−1), cap) after it ended;
 * one that ended through no fault of its own (stop then start, restart, preemption, host
 * maintenance, a run its agent forgot) starts at once. With
 * `restart_policy.max_failures` set, an instance that failed that often stays down.
 */
export const restart = ({ pod, template, now, timings }: PodContext): PodStep => {
  const onRequest = isNoFaultEnd(pod.terminationReason);
  if (hasGivenUp(pod, template.maxFailures)) {
    const message = `not restarted: failed ${pod.failureCount} times (restart_policy.max_failures ${template.maxFailures})`;
    return pod.message === message
      ? {}
      : { pod: { ...pod, message, updatedAt: now, revision: pod.revision + 1 } };
  }
  const wait = onRequest
    ? 0
    : backoffMs(pod.failureCount, timings.restartBackoffMs, timings.restartBackoffCapMs);
  const due = (pod.completedAt ?? now) + wait;
  if (now < due) return { recheckAt: due };
  const hasLiveness = template.containers.some((c) => c.liveness);
  return {
    pod: {
      ...pod,
      runId: pod.runId + 1,
      prevRunId: pod.runId,
      state: "PENDING",
      configVersion: pod.desiredConfigVersion,
      host: null,
      agentId: null,
      ports: {},
      message: "waiting for admission and placement",
      reason: "",
      healthy: hasLiveness ? "UNKNOWN" : "DISABLED",
      exitCode: null,
      terminationReason: null,
      startedAt: null,
      completedAt: null,
      updatedAt: now,
      revision: pod.revision + 1,
    },
    event: true,
  };
};
