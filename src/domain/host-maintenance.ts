import type { HostState } from "./host.js";

/**
 * The maintenance life of a host: UP → DRAINING (no new placements) → DRAINED (no pod left)
 * → DOWN (in maintenance) → UP again when maintenance completes. Each entry says where a host
 * goes next on its own, given whether pods still run there; a missing entry means it stays.
 */
export const MAINTENANCE_STEPS = {
  DRAINING: { withPods: undefined, empty: "DRAINED" },
  DRAINED: { withPods: "DRAINING", empty: "DOWN" },
} as const satisfies Partial<
  Record<HostState, { withPods: HostState | undefined; empty: HostState | undefined }>
>;

/** The state a host moves to next by itself, or undefined when it stays where it is. */
export function nextMaintenanceState(state: HostState, podsOnHost: number): HostState | undefined {
  const step = (MAINTENANCE_STEPS as Partial<Record<HostState, { withPods?: HostState; empty?: HostState }>>)[
    state
  ];
  if (!step) return undefined;
  return podsOnHost > 0 ? step.withPods : step.empty;
}

/** Hosts in these states take no new pods. */
export const isPlaceable = (state: HostState): boolean => state === "UP";
