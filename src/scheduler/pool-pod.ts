import { type Resources, ZERO } from "../domain/resources.js";

/** A pod as the pool side of the scheduler sees it: where it belongs, what it needs, how it may be treated. */
export interface PoolPod {
  readonly id: string;
  readonly poolId: string;
  readonly resources: Resources;
  /** From the job's SlaSpec: higher is scheduled (and kept) first. */
  readonly priority: number;
  /** Enqueue sequence: first in, first out within a priority. */
  readonly seq: number;
  readonly controller: boolean;
  /** A non-preemptible pod may only use its pool's reservation and is never preempted. */
  readonly preemptible: boolean;
  /** A revocable pod runs on slack cpu and is preempted first. */
  readonly revocable: boolean;
  /** When a placed pod started (ms); the most recently started are preempted first. */
  readonly startedAt?: number | undefined;
}

/**
 * The part of a pod counted against the pool's regular entitlement: everything for a
 * non-revocable pod; memory, disk and gpu for a revocable one (its cpu is slack).
 */
export const regularPart = (p: PoolPod): Resources =>
  p.revocable ? { ...p.resources, cpu: 0 } : p.resources;

/** The part of a pod counted against the pool's slack entitlement: a revocable pod's cpu. */
export const slackPart = (p: PoolPod): Resources => (p.revocable ? { ...ZERO, cpu: p.resources.cpu } : ZERO);

/** PRIORITY_FIFO: higher priority first, then lower enqueue sequence, then id. */
export const priorityFifo = (a: PoolPod, b: PoolPod): number =>
  b.priority - a.priority || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Admission queues within a pool. Each is PRIORITY_FIFO on its own, so a controller pod stuck on
 * the controller limit does not hold back ordinary pods (and so on).
 */
export const ADMISSION_CLASSES = ["controller", "revocable", "non-preemptible", "preemptible"] as const;
export type AdmissionClass = (typeof ADMISSION_CLASSES)[number];

export const admissionClass = (p: PoolPod): AdmissionClass =>
  p.controller ? "controller" : p.revocable ? "revocable" : p.preemptible ? "preemptible" : "non-preemptible";
