import type { PodEventRecord } from "../../domain/change-set.js";
import type { PodRuntime } from "../../domain/pod.js";

/** The PodEvent a pod's transition records. */
export const podEventOf = (p: PodRuntime): PodEventRecord => ({
  jobId: p.jobId,
  instance: p.instance,
  runId: p.runId,
  actualState: p.state,
  // A pod's goal is itself a pod state (RUNNING, KILLED or DELETED).
  desiredState: p.goal,
  configVersion: p.configVersion,
  desiredConfigVersion: p.desiredConfigVersion,
  agentId: p.agentId ?? "",
  hostname: p.host ?? "",
  message: p.message,
  reason: p.reason,
  prevRunId: p.prevRunId,
  healthy: p.healthy,
  at: p.updatedAt,
});
