import type { Kysely } from "kysely";
import type { HostRecord } from "../../domain/host.js";
import { resources } from "../../domain/resources.js";
import type { Database } from "../schema.js";

/** Hosts and their maintenance states, as the engine's start reads them. */
export class HostReads {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<HostRecord[]> {
    const rows = await this.db.selectFrom("hosts").selectAll().orderBy("hostname").execute();
    return rows.map((r) => ({
      hostname: r.hostname,
      ip: r.ip,
      capacity: resources(r.capacity),
      labels: r.labels,
      state: r.state,
      goal: r.goal_state,
      updatedAt: r.updated_at,
    }));
  }
}
