import { isOnHost, type PodRuntime, type PodTemplate, podName } from "../../../domain/pod.js";
import type { VolumeRecord } from "../../../domain/volume.js";
import { AppError } from "../../../lib/app-error.js";

/**
 * A pod just placed (state PLACED, with its host) whose spec asks for a persistent volume and
 * whose instance has none yet: the volume is created on that host, in the same commit as the
 * placement. The simulated agents have nothing to prepare, so it is CREATED at once. A pod that
 * already has its volume keeps it.
 */
export function volumeOnPlacement(
  pod: PodRuntime,
  template: PodTemplate,
  existing: VolumeRecord | undefined,
  now: number,
  newId: () => string,
): { pod: PodRuntime; volume?: VolumeRecord } {
  if (existing) return { pod: pod.volumeId === existing.id ? pod : { ...pod, volumeId: existing.id } };
  if (!template.volume || !pod.host) return { pod };
  const volume: VolumeRecord = {
    id: newId(),
    jobId: pod.jobId,
    instance: pod.instance,
    hostname: pod.host,
    state: "CREATED",
    goal: "CREATED",
    sizeMb: template.volume.sizeMb,
    containerPath: template.volume.containerPath,
    createdAt: now,
    updatedAt: now,
  };
  return { pod: { ...pod, volumeId: volume.id }, volume };
}

/**
 * DeleteVolume: FAILED_PRECONDITION while the instance has a run on a host (placed, running or
 * being killed); otherwise the volume becomes DELETED, its disk is free, and the pod no longer
 * names it, so its next run may go to any host (and gets a new volume there).
 */
export function volumeDeletion(
  volume: VolumeRecord,
  pod: PodRuntime | undefined,
  now: number,
): { volume: VolumeRecord; pod?: PodRuntime } {
  if (pod && isOnHost(pod.state)) {
    throw AppError.failedPrecondition(
      `volume ${volume.id} is in use by pod ${podName(pod.jobId, pod.instance)} (${pod.state} on ${pod.host ?? volume.hostname}); stop the pod first`,
    );
  }
  const deleted: VolumeRecord = { ...volume, state: "DELETED", goal: "DELETED", updatedAt: now };
  if (!pod || pod.volumeId !== volume.id) return { volume: deleted };
  return {
    volume: deleted,
    pod: { ...pod, volumeId: null, updatedAt: now, revision: pod.revision + 1 },
  };
}
