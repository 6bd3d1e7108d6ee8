import type { Kysely } from "kysely";
import type { HostSpec, HostState } from "../domain/host.js";
import type { Database } from "./schema.js";

export interface StoredHost {
  readonly hostname: string;
  readonly ip: string;
  readonly state: HostState;
}

/** Hosts and their maintenance states, which survive restarts. */
export class HostRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records the fleet's hosts: new ones start UP; known ones keep their state and get the
   * fleet's address, capacity and labels. Returns every stored host.
   */
  async syncInventory(hosts: readonly HostSpec[], now: number): Promise<StoredHost[]> {
    const CHUNK = 1000;
    for (let i = 0; i < hosts.length; i += CHUNK) {
      const rows = hosts.slice(i, i + CHUNK).map((h) => ({
        hostname: h.hostname,
        ip: h.ip,
        state: "UP",
        capacity: JSON.stringify(h.capacity),
        labels: JSON.stringify(h.labels),
        updated_at: now,
      }));
      await this.db
        .insertInto("hosts")
        .values(rows)
        .onConflict((oc) =>
          oc.column("hostname").doUpdateSet((eb) => ({
            ip: eb.ref("excluded.ip"),
            capacity: eb.ref("excluded.capacity"),
            labels: eb.ref("excluded.labels"),
          })),
        )
        .execute();
    }
    return this.list();
  }

  async list(): Promise<StoredHost[]> {
    const rows = await this.db
      .selectFrom("hosts")
      .select(["hostname", "ip", "state"])
      .orderBy("hostname")
      .execute();
    return rows.map((r) => ({ hostname: r.hostname, ip: r.ip, state: r.state as HostState }));
  }

  /** Writes several hosts' states in one statement. */
  async setStates(changes: readonly { hostname: string; state: HostState }[], now: number): Promise<void> {
    if (changes.length === 0) return;
    const byState = new Map<HostState, string[]>();
    for (const c of changes) byState.set(c.state, [...(byState.get(c.state) ?? []), c.hostname]);
    await this.db.transaction().execute(async (tx) => {
      for (const [state, hostnames] of byState) {
        await tx
          .updateTable("hosts")
          .set({ state, updated_at: now })
          .where("hostname", "in", hostnames)
          .execute();
      }
    });
  }
}
