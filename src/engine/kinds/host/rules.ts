import type { HostGoal, HostState } from "../../../domain/host.js";
import { bringUp } from "./actions/bring-up.js";
import { checkDrained } from "./actions/check-drained.js";
import { startDrain } from "./actions/start-drain.js";
import { takeDown } from "./actions/take-down.js";
import type { HostContext, HostStep } from "./host-step.js";

export const HOST_ACTIONS = {
  startDrain,
  checkDrained,
  takeDown,
  bringUp,
  done: (_: HostContext): HostStep => ({}),
  /** A pair that should never occur; the engine logs it and leaves the host alone. */
  invalid: (_: HostContext): HostStep => ({}),
} as const;
export type HostActionName = keyof typeof HOST_ACTIONS;

/**
 * The maintenance life of a host: UP → DRAINING (no new placements) → DRAINED (no run left) →
 * DOWN (out of the fleet) while maintenance wants it DOWN; DOWN → UP once it is complete.
 */
export const HOST_ACTION_TABLE = {
  DOWN: {
    UNKNOWN: "invalid",
    UP: "startDrain",
    DRAINING: "checkDrained",
    DRAINED: "takeDown",
    DOWN: "done",
  },
  UP: {
    UNKNOWN: "invalid",
    UP: "done",
    DRAINING: "invalid",
    DRAINED: "invalid",
    DOWN: "bringUp",
  },
} as const satisfies Record<HostGoal, Record<HostState, HostActionName>>;

export const hostActionFor = (goal: HostGoal, state: HostState): HostActionName =>
  HOST_ACTION_TABLE[goal][state];
