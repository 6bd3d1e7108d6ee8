import type { ResourceKind } from "../domain/resources.js";
import { RESERVATION_TYPES, type ReservationType } from "../domain/respool.js";

// How a pool's reservation behaves: an ELASTIC pool lends what it does not use to others, a
// STATIC pool keeps its whole reservation whatever its demand. Defined once, in the domain.
export { RESERVATION_TYPES, type ReservationType, ROOT_POOL_ID } from "../domain/respool.js";

export const isReservationType = (s: string): s is ReservationType =>
  (RESERVATION_TYPES as readonly string[]).includes(s);

/** One kind's settings in a pool, as in respool.ResourceSpec. */
export interface PoolResourceSpec {
  readonly reservation: number;
  readonly limit: number;
  readonly share: number;
  readonly type: ReservationType;
}

/**
 * A resource pool as the store keeps it, reduced to what the scheduler reasons about. A pool
 * without a parent (or whose parent is `root`) hangs off the root.
 */
export interface PoolRecord {
  readonly id: string;
  readonly parentId?: string | undefined;
  /** Settings per kind; a kind left out has no reservation, no limit and a share of 1. */
  readonly resources: Readonly<Partial<Record<ResourceKind, PoolResourceSpec>>>;
  /** Controller pods may use at most this percentage of the pool's reservation. */
  readonly controllerLimitPercent?: number | undefined;
  /** Revocable pods may use at most this percentage of the pool's memory and disk reservation. */
  readonly slackLimitPercent?: number | undefined;
}

/** The settings of a kind a pool record leaves out. */
export const DEFAULT_POOL_RESOURCE: PoolResourceSpec = Object.freeze({
  reservation: 0,
  limit: Number.POSITIVE_INFINITY,
  share: 1,
  type: "ELASTIC",
});
