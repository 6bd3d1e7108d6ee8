import type { JobTemplates, PodTemplate } from "../../domain/pod.js";
import { add, max, type Resources, ZERO } from "../../domain/resources.js";
import type { JobSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { ContainerSpec, PodSpec } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { constraintFromProto } from "./constraint-from-proto.js";
import { podSpecOf } from "./pod-spec-of.js";

/** Grace period for a kill when the spec gives none, as Kubernetes does. */
export const DEFAULT_KILL_GRACE_MS = 30_000;

const containerResources = (c: ContainerSpec): Resources => ({
  cpu: c.resource?.cpuLimit ?? 0,
  memory: c.resource?.memLimitMb ?? 0,
  disk: c.resource?.diskLimitMb ?? 0,
  gpu: c.resource?.gpuLimit ?? 0,
});

/** What a validated pod spec runs, for the engine and the scheduler. */
export function podTemplate(pod: PodSpec, sla: JobSpec["sla"], field: string): PodTemplate {
  // Init containers run one after another before the containers, which run together.
  const running = pod.containers.map(containerResources).reduce(add, ZERO);
  const init = pod.initContainers.map(containerResources).reduce(max, ZERO);
  return {
    resources: max(running, init),
    ports: pod.containers.flatMap((c) => c.ports.map((p) => ({ name: p.name, value: p.value }))),
    labels: pod.labels.map((l) => ({ key: l.key, value: l.value })),
    constraint: pod.constraint ? constraintFromProto(pod.constraint, `${field}.constraint`) : undefined,
    containers: pod.containers.map((c) => ({
      name: c.name,
      command: [c.command?.value ?? "", ...(c.command?.arguments ?? [])].join(" ").trim(),
      liveness:
        c.livenessCheck?.enabled && c.livenessCheck.commandCheck
          ? {
              command: c.livenessCheck.commandCheck.command,
              initialIntervalSecs: c.livenessCheck.initialIntervalSecs,
              intervalSecs: c.livenessCheck.intervalSecs,
              timeoutSecs: c.livenessCheck.timeoutSecs,
              maxConsecutiveFailures: c.livenessCheck.maxConsecutiveFailures,
            }
          : undefined,
    })),
    maxFailures: pod.restartPolicy?.maxFailures ?? 0,
    killGracePeriodMs:
      pod.killGracePeriodSeconds > 0 ? pod.killGracePeriodSeconds * 1000 : DEFAULT_KILL_GRACE_MS,
    controller: pod.controller,
    // The job's SLA overrules the pod spec for stateless jobs.
    revocable: sla ? sla.revocable : pod.revocable,
    preemptible: sla ? sla.preemptible : false,
    killOnPreempt: pod.preemptionPolicy?.killOnPreempt ?? false,
    ...(pod.volume ? { volume: { containerPath: pod.volume.containerPath, sizeMb: pod.volume.sizeMb } } : {}),
  };
}

/** The templates of a validated job spec: the default one and each instance's own. */
export function jobTemplates(spec: JobSpec): JobTemplates {
  const explicit = Object.keys(spec.instanceSpec).map(Number);
  const usesDefault = explicit.length < spec.instanceCount;
  return {
    default:
      usesDefault && spec.defaultSpec ? podTemplate(spec.defaultSpec, spec.sla, "spec.default_spec") : null,
    instances: Object.fromEntries(
      explicit.map((i) => [String(i), podTemplate(podSpecOf(spec, i), spec.sla, `spec.instance_spec[${i}]`)]),
    ),
  };
}
