import type { PodRuntime, PodState, PodTemplate } from "../../../domain/pod.js";
import type { EngineTimings } from "../../ports.js";

/** What an action sees: the pod as it is now, what it should run, the time and the timings. */
export interface PodContext {
  readonly pod: PodRuntime;
  readonly template: PodTemplate;
  readonly now: number;
  readonly timings: EngineTimings;
}

/** What an action decides; the engine writes `pod` first and only then acts on the rest. */
export interface PodStep {
  /** The pod's new runtime, when it changes. */
  readonly pod?: PodRuntime;
  /** Whether the change is a transition to record as a PodEvent. */
  readonly event?: boolean;
  readonly launch?: boolean;
  /** Kill this run (grace period from the template). */
  readonly kill?: boolean;
  /** When to look at the pod again (absolute ms). */
  readonly recheckAt?: number;
}

export const NOTHING: PodStep = {};

/** A state change of the current run, with its timestamp. */
export const moveTo = (
  pod: PodRuntime,
  state: PodState,
  now: number,
  patch: Partial<PodRuntime> = {},
): PodRuntime => ({
  ...pod,
  ...patch,
  state,
  updatedAt: now,
  revision: pod.revision + 1,
});
