import type { JobSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { PodSpec } from "../../gen/peloton/api/v1alpha/pod/pod.js";

/**
 * The pod spec instance `instance` runs: the job's default_spec with the instance's own spec
 * laid over it. A field the instance spec sets (a non-empty list, a present message, a true
 * flag, a non-zero number) replaces the default's; containers are replaced as a whole list.
 */
export function podSpecOf(spec: JobSpec, instance: number): PodSpec {
  const base = spec.defaultSpec;
  const over = spec.instanceSpec[instance];
  if (!over) return base ?? emptyPodSpec();
  if (!base) return over;
  return {
    podName: over.podName ?? base.podName,
    labels: over.labels.length > 0 ? over.labels : base.labels,
    initContainers: over.initContainers.length > 0 ? over.initContainers : base.initContainers,
    containers: over.containers.length > 0 ? over.containers : base.containers,
    constraint: over.constraint ?? base.constraint,
    restartPolicy: over.restartPolicy ?? base.restartPolicy,
    volume: over.volume ?? base.volume,
    preemptionPolicy: over.preemptionPolicy ?? base.preemptionPolicy,
    controller: over.controller || base.controller,
    killGracePeriodSeconds: over.killGracePeriodSeconds || base.killGracePeriodSeconds,
    revocable: over.revocable || base.revocable,
  };
}

export const emptyPodSpec = (): PodSpec => ({
  labels: [],
  initContainers: [],
  containers: [],
  controller: false,
  killGracePeriodSeconds: 0,
  revocable: false,
});
