import { type PodRuntime, type PodTemplate, podId } from "../../domain/pod.js";
import type { LaunchRequest } from "../ports.js";

/** What the fleet needs to start a run placed on `hostname`. */
export const launchRequest = (pod: PodRuntime, hostname: string, t: PodTemplate): LaunchRequest => ({
  podId: podId(pod.jobId, pod.instance, pod.runId),
  hostname,
  resources: t.resources,
  ports: pod.ports,
  containers: t.containers.map((c) => ({
    name: c.name,
    command: c.command,
    ...(c.liveness ? { livenessCheck: c.liveness } : {}),
  })),
});
