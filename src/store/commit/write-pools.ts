import type { Transaction } from "kysely";
import type { ResourcePool } from "../../domain/respool.js";
import type { Database } from "../schema.js";

/**
 * Inserts or updates pools by id. A rename rewrites the paths of a whole subtree; paths are
 * unique at the end of the transaction (the constraint is deferred), not row by row.
 */
export async function upsertPools(tx: Transaction<Database>, pools: readonly ResourcePool[]): Promise<void> {
  if (pools.length === 0) return;
  await tx
    .insertInto("resource_pools")
    .values(
      pools.map((p) => ({
        id: p.id,
        parent_id: p.parentId,
        name: p.config.name,
        path: p.path,
        config: JSON.stringify(p.config),
        revision: p.revision,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
      })),
    )
    .onConflict((oc) =>
      oc.column("id").doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        path: eb.ref("excluded.path"),
        config: eb.ref("excluded.config"),
        revision: eb.ref("excluded.revision"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function deletePools(tx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .deleteFrom("resource_pools")
    .where("id", "in", [...ids])
    .execute();
}
