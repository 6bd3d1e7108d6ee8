import type { Transaction } from "kysely";
import type { HostRecord } from "../../domain/host.js";
import type { Database } from "../schema.js";

/** Rows per statement when a large inventory is written at start. */
const CHUNK = 1000;

/** Inserts or updates hosts by hostname: inventory (address, capacity, labels) and maintenance. */
export async function upsertHosts(tx: Transaction<Database>, hosts: readonly HostRecord[]): Promise<void> {
  for (let i = 0; i < hosts.length; i += CHUNK) {
    await tx
      .insertInto("hosts")
      .values(
        hosts.slice(i, i + CHUNK).map((h) => ({
          hostname: h.hostname,
          ip: h.ip,
          state: h.state,
          goal_state: h.goal,
          capacity: JSON.stringify(h.capacity),
          labels: JSON.stringify(h.labels),
          updated_at: h.updatedAt,
        })),
      )
      .onConflict((oc) =>
        oc.column("hostname").doUpdateSet((eb) => ({
          ip: eb.ref("excluded.ip"),
          state: eb.ref("excluded.state"),
          goal_state: eb.ref("excluded.goal_state"),
          capacity: eb.ref("excluded.capacity"),
          labels: eb.ref("excluded.labels"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}
