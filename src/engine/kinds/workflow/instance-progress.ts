import { hasGivenUp, type PodRuntime } from "../../../domain/pod.js";
import type { WorkflowSettings } from "../../../domain/workflow.js";

/**
 * Whether an instance the workflow brings up is done, failed, or still in the works. It is done
 * once it runs — and passes its liveness check, when it has one — or once nobody wants it
 * running any more; it failed once it failed more than `max_instance_retries` times, or its
 * restart policy gave up on it. A pod that starts and crashes again and again is not done.
 */
export function instanceProgress(
  pod: PodRuntime,
  settings: WorkflowSettings,
  maxFailures: number,
): "done" | "failed" | "current" {
  if (pod.goal !== "RUNNING") return "done";
  if (pod.state === "RUNNING" && (pod.healthy === "DISABLED" || pod.healthy === "HEALTHY")) return "done";
  if (settings.maxInstanceRetries > 0 && pod.failureCount > settings.maxInstanceRetries) return "failed";
  if (hasGivenUp(pod, maxFailures)) return "failed";
  return "current";
}
