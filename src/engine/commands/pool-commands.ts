import { childPath, type PoolConfig, type ResourcePool } from "../../domain/respool.js";
import { checkPoolInTree } from "../../domain/respool-rules.js";
import { AppError } from "../../lib/app-error.js";
import type { Tick } from "../tick/tick.js";
import type { Command } from "./command.js";

const hasJobs = (tick: Tick, poolId: string): boolean => {
  for (const n of tick.newJobs.values()) if (n.job.respoolId === poolId) return true;
  for (const e of tick.cache.jobs.values()) if (e.job.respoolId === poolId) return true;
  return false;
};

/**
 * CreateResourcePool: the pool must keep the tree's rules with its parent and siblings
 * (respool-rules.ts); ALREADY_EXISTS for a taken id; a pool with jobs cannot get children.
 */
export const createPool =
  (input: { id: string; parentId: string; config: PoolConfig }): Command<ResourcePool> =>
  (tick) => {
    const pools = tick.allPools();
    if (pools.has(input.id)) throw AppError.alreadyExists(`resource pool ${input.id} already exists`);
    checkPoolInTree(pools, input);
    const parent = pools.get(input.parentId)!;
    if (hasJobs(tick, parent.id)) {
      throw AppError.failedPrecondition(
        `resource pool ${parent.path} has jobs; a pool with jobs cannot get child pools`,
      );
    }
    const pool: ResourcePool = {
      id: input.id,
      parentId: input.parentId,
      path: childPath(parent.path, input.config.name),
      config: input.config,
      revision: 1,
      createdAt: tick.now,
      updatedAt: tick.now,
    };
    tick.stagePool(pool);
    return pool;
  };

/** UpdateResourcePool: replaces a pool's config; a new name renames the paths of its whole subtree. */
export const updatePool =
  (input: { id: string; config: PoolConfig }): Command<ResourcePool> =>
  (tick) => {
    const pools = tick.allPools();
    const old = pools.get(input.id);
    if (!old) throw AppError.notFound(`resource pool ${input.id} does not exist`);
    if (old.parentId === null)
      throw AppError.invalid("respool_id", "the root resource pool cannot be updated");
    checkPoolInTree(pools, { id: input.id, parentId: old.parentId, config: input.config });
    const path = childPath(pools.get(old.parentId)!.path, input.config.name);
    const pool: ResourcePool = {
      ...old,
      path,
      config: input.config,
      revision: old.revision + 1,
      updatedAt: tick.now,
    };
    tick.stagePool(pool);
    if (path !== old.path) {
      // Descendants keep their names; only the prefix of their paths changes.
      for (const p of pools.values())
        if (p.path.startsWith(`${old.path}/`))
          tick.stagePool({ ...p, path: path + p.path.slice(old.path.length) });
    }
    return pool;
  };

/** DeleteResourcePool: leaves only, never the root, and never a pool jobs still use. */
export const deletePool =
  (id: string): Command<void> =>
  (tick) => {
    const pools = tick.allPools();
    const pool = pools.get(id);
    if (!pool) throw AppError.notFound(`resource pool ${id} does not exist`);
    if (pool.parentId === null)
      throw AppError.invalid("respool_id", "the root resource pool cannot be deleted");
    if ([...pools.values()].some((p) => p.parentId === id))
      throw AppError.invalid("respool_id", `resource pool ${pool.path} has child pools; delete them first`);
    if (hasJobs(tick, id))
      throw AppError.failedPrecondition(`resource pool ${pool.path} is busy: jobs still use it`);
    tick.deletePool(id);
  };
