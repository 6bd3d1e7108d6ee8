import type { Kysely, Selectable } from "kysely";
import type { ResourcePool } from "../../domain/respool.js";
import type { Database, ResourcePoolsTable } from "../schema.js";

export const toPool = (row: Selectable<ResourcePoolsTable>): ResourcePool => ({
  id: row.id,
  parentId: row.parent_id,
  path: row.path,
  config: row.config,
  revision: row.revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Resource pools, as the API and the engine's start read them. */
export class PoolReads {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ResourcePool[]> {
    const rows = await this.db.selectFrom("resource_pools").selectAll().orderBy("path").execute();
    return rows.map(toPool);
  }

  async get(id: string): Promise<ResourcePool | undefined> {
    const row = await this.db
      .selectFrom("resource_pools")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toPool(row);
  }

  async getByPath(path: string): Promise<ResourcePool | undefined> {
    const row = await this.db
      .selectFrom("resource_pools")
      .selectAll()
      .where("path", "=", path)
      .executeTakeFirst();
    return row && toPool(row);
  }
}
