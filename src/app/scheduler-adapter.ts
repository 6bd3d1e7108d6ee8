import type { PoolConfig } from "../domain/respool.js";
import type { EngineScheduler } from "../engine/ports.js";
import { yieldToEventLoop } from "../lib/yield-to-event-loop.js";
import { placeInSlices } from "../scheduler/placement/place.js";
import type { StrategyName } from "../scheduler/placement/placement-strategy.js";
import type { PoolRecord, PoolResourceSpec } from "../scheduler/pool-record.js";
import { schedulePools } from "../scheduler/schedule-pools.js";

/** Pods placed between two yields to the event loop (about 50 ms of placement). */
const PLACEMENT_SLICE = 5000;

/** A stored pool as the scheduler reasons about it. */
export function poolRecord(pool: { id: string; parentId: string | null; config: PoolConfig }): PoolRecord {
  const resources: Partial<Record<string, PoolResourceSpec>> = {};
  for (const r of pool.config.resources) {
    resources[r.kind] = { reservation: r.reservation, limit: r.limit, share: r.share, type: r.type };
  }
  return {
    id: pool.id,
    parentId: pool.parentId ?? undefined,
    resources,
    controllerLimitPercent: pool.config.controllerLimitPercent,
    slackLimitPercent: pool.config.slackLimitPercent,
  };
}

/** The scheduler core behind the engine's port. */
export function schedulerAdapter(strategy: StrategyName): EngineScheduler {
  return {
    async pools(snapshot) {
      return schedulePools({ ...snapshot, pools: snapshot.pools.map(poolRecord) });
    },
    // Large batches are placed in slices, letting API calls in between.
    place: (hosts, pods) =>
      placeInSlices(hosts, pods, { strategy, slice: PLACEMENT_SLICE, pause: yieldToEventLoop }),
  };
}
