import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { childPath, type PoolConfig, type PoolNode, ROOT_POOL_ID } from "../domain/respool.js";
import { checkPoolInTree } from "../domain/respool-rules.js";
import { AppError } from "../lib/app-error.js";
import { prefixPattern } from "./like-pattern.js";
import type { Database, ResourcePoolsTable } from "./schema.js";

export interface StoredPool extends PoolNode {
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type PoolRow = Selectable<ResourcePoolsTable>;

const toPool = (row: PoolRow): StoredPool => ({
  id: row.id,
  parentId: row.parent_id,
  path: row.path,
  config: row.config,
  revision: row.revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Resource pools. Every change to the tree runs in one transaction that first locks the root
 * row, so concurrent changes see each other and the tree rules hold for the committed tree.
 */
export class ResourcePoolRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<StoredPool[]> {
    const rows = await this.db.selectFrom("resource_pools").selectAll().orderBy("path").execute();
    return rows.map(toPool);
  }

  async get(id: string): Promise<StoredPool | undefined> {
    const row = await this.db
      .selectFrom("resource_pools")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toPool(row);
  }

  async getByPath(path: string): Promise<StoredPool | undefined> {
    const row = await this.db
      .selectFrom("resource_pools")
      .selectAll()
      .where("path", "=", path)
      .executeTakeFirst();
    return row && toPool(row);
  }

  async create(input: {
    id: string;
    parentId: string;
    config: PoolConfig;
    now: number;
  }): Promise<StoredPool> {
    return this.db.transaction().execute(async (tx) => {
      const pools = await lockedTree(tx);
      if (pools.has(input.id)) throw AppError.alreadyExists(`resource pool ${input.id} already exists`);
      checkPoolInTree(pools, input);
      const parent = pools.get(input.parentId)!;
      if (await hasJobs(tx, parent.id)) {
        throw AppError.failedPrecondition(
          `resource pool ${parent.path} has jobs; a pool with jobs cannot get child pools`,
        );
      }
      const row = await tx
        .insertInto("resource_pools")
        .values({
          id: input.id,
          parent_id: input.parentId,
          name: input.config.name,
          path: childPath(parent.path, input.config.name),
          config: JSON.stringify(input.config),
          revision: 1,
          created_at: input.now,
          updated_at: input.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPool(row);
    });
  }

  /** Replaces a pool's config; a new name renames the paths of the whole subtree. */
  async update(input: { id: string; config: PoolConfig; now: number }): Promise<StoredPool> {
    return this.db.transaction().execute(async (tx) => {
      const pools = await lockedTree(tx);
      const old = pools.get(input.id);
      if (!old) throw AppError.notFound(`resource pool ${input.id} does not exist`);
      if (old.parentId === null)
        throw AppError.invalid("respool_id", "the root resource pool cannot be updated");
      checkPoolInTree(pools, { id: input.id, parentId: old.parentId, config: input.config });
      const parent = pools.get(old.parentId)!;
      const path = childPath(parent.path, input.config.name);
      const row = await tx
        .updateTable("resource_pools")
        .set({
          name: input.config.name,
          path,
          config: JSON.stringify(input.config),
          revision: sql<number>`revision + 1`,
          updated_at: input.now,
        })
        .where("id", "=", input.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (path !== old.path) {
        // Descendants keep their names; only the prefix of their paths changes.
        await tx
          .updateTable("resource_pools")
          .set({ path: sql<string>`${path} || substr(path, ${old.path.length + 1})` })
          .where("path", "like", prefixPattern(`${old.path}/`))
          .execute();
      }
      return toPool(row);
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const pools = await lockedTree(tx);
      const pool = pools.get(id);
      if (!pool) throw AppError.notFound(`resource pool ${id} does not exist`);
      if (pool.parentId === null)
        throw AppError.invalid("respool_id", "the root resource pool cannot be deleted");
      if ([...pools.values()].some((p) => p.parentId === id)) {
        throw AppError.invalid("respool_id", `resource pool ${pool.path} has child pools; delete them first`);
      }
      if (await hasJobs(tx, id)) {
        throw AppError.failedPrecondition(`resource pool ${pool.path} is busy: jobs still use it`);
      }
      await tx.deleteFrom("resource_pools").where("id", "=", id).execute();
    });
  }
}

async function lockedTree(tx: Transaction<Database>): Promise<Map<string, PoolNode>> {
  await tx.selectFrom("resource_pools").select("id").where("id", "=", ROOT_POOL_ID).forUpdate().execute();
  const rows = await tx.selectFrom("resource_pools").selectAll().execute();
  return new Map(rows.map((r) => [r.id, toPool(r)]));
}

async function hasJobs(tx: Transaction<Database>, respoolId: string): Promise<boolean> {
  const row = await tx
    .selectFrom("jobs")
    .select("id")
    .where("respool_id", "=", respoolId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
