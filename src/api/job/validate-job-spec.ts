import type { JobSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { Secret } from "../../gen/peloton/api/v1alpha/peloton.js";
import {
  type ContainerSpec,
  HealthCheckSpec_HealthCheckType,
  type PodSpec,
} from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { AppError } from "../../lib/app-error.js";
import { constraintFromProto } from "./constraint-from-proto.js";
import { podSpecOf } from "./pod-spec-of.js";

/**
 * Checks a stateless JobSpec before it is stored. The pool's existence and leafness are the
 * store's to check (in the transaction that writes the job).
 */
export function validateJobSpec(spec: JobSpec, maxInstances: number): void {
  if (!Number.isInteger(spec.instanceCount) || spec.instanceCount < 1) {
    throw AppError.invalid("spec.instance_count", "must be at least 1");
  }
  if (spec.instanceCount > maxInstances) {
    throw AppError.invalid("spec.instance_count", `must be at most ${maxInstances} (the server's limit)`);
  }
  if (!spec.respoolId?.value) throw AppError.invalid("spec.respool_id", "is required");
  spec.labels.forEach((l, i) => {
    if (l.key === "") throw AppError.invalid(`spec.labels[${i}].key`, "is required");
  });

  for (const key of Object.keys(spec.instanceSpec).map(Number)) {
    if (!(key < spec.instanceCount)) {
      throw AppError.invalid(
        `spec.instance_spec[${key}]`,
        `instance ${key} is outside 0..${spec.instanceCount - 1}`,
      );
    }
  }
  if (spec.defaultSpec) checkPodSpec(spec.defaultSpec, "spec.default_spec");
  for (const [key, pod] of Object.entries(spec.instanceSpec)) checkPodSpec(pod, `spec.instance_spec[${key}]`);

  if (spec.defaultSpec?.controller && spec.instanceCount > 1) {
    throw AppError.invalid(
      "spec.default_spec.controller",
      "only instance 0 may be a controller pod; set it in instance_spec[0]",
    );
  }
  for (const [key, pod] of Object.entries(spec.instanceSpec)) {
    if (pod.controller && key !== "0") {
      throw AppError.invalid(
        `spec.instance_spec[${key}].controller`,
        "only instance 0 may be a controller pod",
      );
    }
  }

  // Every instance, with its own spec laid over the default, needs something to run.
  const explicit = Object.keys(spec.instanceSpec).map(Number);
  for (const i of explicit) {
    if (podSpecOf(spec, i).containers.length === 0) {
      throw AppError.invalid(`spec.instance_spec[${i}].containers`, `instance ${i} has no container to run`);
    }
  }
  if (explicit.length < spec.instanceCount && (spec.defaultSpec?.containers.length ?? 0) === 0) {
    throw AppError.invalid(
      "spec.default_spec.containers",
      "must hold at least one container (instances without an instance_spec run it)",
    );
  }
}

function checkPodSpec(pod: PodSpec, at: string): void {
  pod.labels.forEach((l, i) => {
    if (l.key === "") throw AppError.invalid(`${at}.labels[${i}].key`, "is required");
  });
  const names = new Set<string>();
  const portNames = new Set<string>();
  const all: [ContainerSpec, string][] = [
    ...pod.initContainers.map((c, i): [ContainerSpec, string] => [c, `${at}.init_containers[${i}]`]),
    ...pod.containers.map((c, i): [ContainerSpec, string] => [c, `${at}.containers[${i}]`]),
  ];
  for (const [c, field] of all) {
    if (names.has(c.name)) {
      throw AppError.invalid(`${field}.name`, `"${c.name}" is used by another container of the pod`);
    }
    names.add(c.name);
    if (!c.command?.value?.trim()) throw AppError.invalid(`${field}.command.value`, "is required");
    checkResources(c, field);
    c.ports.forEach((p, i) => {
      const pf = `${field}.ports[${i}]`;
      if (p.name === "") throw AppError.invalid(`${pf}.name`, "is required");
      if (portNames.has(p.name))
        throw AppError.invalid(`${pf}.name`, `"${p.name}" is used by another port of the pod`);
      portNames.add(p.name);
      if (p.value > 65535)
        throw AppError.invalid(`${pf}.value`, "must be a port number (0 asks for a dynamic port)");
    });
    if (c.livenessCheck?.enabled) checkHealth(c, `${field}.liveness_check`);
    if (c.readinessCheck?.enabled) checkHealth(c, `${field}.readiness_check`, "readiness");
  }
  if (pod.constraint) constraintFromProto(pod.constraint, `${at}.constraint`);
  if (pod.volume && pod.volume.containerPath === "") {
    throw AppError.invalid(`${at}.volume.container_path`, "is required for a persistent volume");
  }
}

function checkResources(c: ContainerSpec, field: string): void {
  const r = c.resource;
  if (!r) return;
  for (const [name, v] of [
    ["cpu_limit", r.cpuLimit],
    ["mem_limit_mb", r.memLimitMb],
    ["disk_limit_mb", r.diskLimitMb],
    ["gpu_limit", r.gpuLimit],
  ] as const) {
    if (!Number.isFinite(v) || v < 0)
      throw AppError.invalid(`${field}.resource.${name}`, "must be a number >= 0");
  }
}

function checkHealth(c: ContainerSpec, field: string, which: "liveness" | "readiness" = "liveness"): void {
  const h = which === "liveness" ? c.livenessCheck! : c.readinessCheck!;
  if (h.type !== HealthCheckSpec_HealthCheckType.HEALTH_CHECK_TYPE_COMMAND) {
    throw AppError.invalid(`${field}.type`, "only COMMAND health checks are supported");
  }
  if (!h.commandCheck?.command.trim())
    throw AppError.invalid(`${field}.command_check.command`, "is required");
}

/** Secrets: an absolute mount path each, unique paths and ids, and some data. */
export function validateSecrets(secrets: readonly Secret[]): void {
  const paths = new Set<string>();
  const ids = new Set<string>();
  secrets.forEach((s, i) => {
    const at = `secrets[${i}]`;
    if (!s.path.startsWith("/")) throw AppError.invalid(`${at}.path`, "must be an absolute path");
    if (paths.has(s.path)) throw AppError.invalid(`${at}.path`, `"${s.path}" is used by another secret`);
    paths.add(s.path);
    const id = s.secretId?.value;
    if (id) {
      if (ids.has(id)) throw AppError.invalid(`${at}.secret_id`, `"${id}" is used by another secret`);
      ids.add(id);
    }
    if (!s.value?.data || s.value.data.length === 0)
      throw AppError.invalid(`${at}.value.data`, "must not be empty");
  });
}
