import { RESOURCE_KINDS } from "../../domain/resources.js";

/** The rankers placement can use, by name. */
export const PLACEMENT_STRATEGIES = ["pack", "spread"] as const;
export type StrategyName = (typeof PLACEMENT_STRATEGIES)[number];

export const DEFAULT_STRATEGY: StrategyName = "pack";

export const isStrategyName = (s: string): s is StrategyName =>
  (PLACEMENT_STRATEGIES as readonly string[]).includes(s);

/**
 * How placement ranks feasible hosts. The search walks the free-resource index from one end
 * (`searchFrom`) and scores a bounded sample of the feasible hosts it meets; the highest
 * score wins.
 */
export interface PlacementStrategy {
  readonly name: string;
  readonly searchFrom: "least-free" | "most-free";
  /**
   * Score of putting `request` on a host whose free and capacity amounts (one per
   * RESOURCE_KINDS, in order) start at `base` in `free` and `capacity`. Higher is better.
   */
  score(free: Float64Array, capacity: Float64Array, base: number, request: ArrayLike<number>): number;
}

const KINDS = RESOURCE_KINDS.length;

/** Sum over kinds of the fraction of the host left free after the placement. */
const freeFractionAfter = (
  free: Float64Array,
  capacity: Float64Array,
  base: number,
  request: ArrayLike<number>,
) => {
  let s = 0;
  for (let k = 0; k < KINDS; k++) {
    const c = capacity[base + k]!;
    if (c > 0) s += (free[base + k]! - request[k]!) / c;
  }
  return s;
};

/** Bin-packing: the most-used host that fits, so whole hosts stay free for big pods. */
export const packStrategy: PlacementStrategy = {
  name: "pack",
  searchFrom: "least-free",
  score: (free, capacity, base, request) => -freeFractionAfter(free, capacity, base, request),
};

/** Spreading: the least-used host, so load (and the blast radius of a host) stays even. */
export const spreadStrategy: PlacementStrategy = {
  name: "spread",
  searchFrom: "most-free",
  score: freeFractionAfter,
};

export const STRATEGIES = {
  pack: packStrategy,
  spread: spreadStrategy,
} as const satisfies Record<StrategyName, PlacementStrategy>;

export const placementStrategy = (name: StrategyName): PlacementStrategy => STRATEGIES[name];
