import { AppError } from "../lib/app-error.js";
import { type PoolNode, ROOT_POOL_ID } from "./respool.js";

/**
 * Jobs run only in leaf pools other than the root. NOT_FOUND for a pool that does not exist;
 * INVALID_ARGUMENT on `spec.respool_id` for the root or a pool with children.
 */
export function checkJobPool(pools: ReadonlyMap<string, PoolNode>, respoolId: string): void {
  const pool = pools.get(respoolId);
  if (!pool) throw AppError.notFound(`resource pool ${respoolId} does not exist`);
  if (pool.id === ROOT_POOL_ID)
    throw AppError.invalid("spec.respool_id", "jobs cannot run in the root resource pool");
  for (const p of pools.values())
    if (p.parentId === pool.id)
      throw AppError.invalid("spec.respool_id", `resource pool ${pool.path} is not a leaf pool`);
}
