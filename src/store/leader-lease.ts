import pg from "pg";

/** The advisory lock every server of one database contends for (Peloton's job manager port, then a tag). */
export const LEASE_KEY = 5392_0001n;

/** The engine's right to commit: held while its connection lives. */
export interface LeaderLease {
  /** The epoch this lease wrote: every commit of this server is fenced by it. */
  readonly epoch: number;
  /** Settles (never rejects) once the lease is lost: its connection failed or ended. */
  readonly lost: Promise<Error>;
  /** Gives the lease up (the advisory lock goes with the connection). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** How often the lease's connection is checked. */
  readonly heartbeatMs?: number;
  /** How long a heartbeat may take before the lease counts as lost. */
  readonly heartbeatTimeoutMs?: number;
}

/**
 * Tries to become the leader of the database at `url`: takes a session advisory lock on a
 * connection of its own (not the pool's) and, holding it, moves the epoch on, so that a server
 * that led before can no longer commit (its commits name the old epoch). Undefined when another
 * server holds the lock. The lock lasts as long as the connection: a leader that dies, or whose
 * connection drops, frees it for a standby.
 */
export async function tryLeaderLease(url: string, o: LeaseOptions = {}): Promise<LeaderLease | undefined> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "peloton-leader-lease",
    keepAlive: true,
  });
  let markLost!: (e: Error) => void;
  const lost = new Promise<Error>((resolve) => {
    markLost = resolve;
  });
  // node-postgres emits connection errors on the client: without a listener they would end the process.
  client.on("error", (e) => markLost(e));
  client.on("end", () => markLost(new Error("the leader lease's connection ended")));
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [
      String(LEASE_KEY),
    ]);
    if (!rows[0]?.ok) {
      await client.end();
      return undefined;
    }
    const moved = await client.query<{ epoch: string }>(
      "UPDATE engine_revision SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch",
    );
    const epoch = Number(moved.rows[0]!.epoch);
    const heartbeat = setInterval(() => {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error("the leader lease's heartbeat timed out")),
          o.heartbeatTimeoutMs ?? 5_000,
        ).unref(),
      );
      Promise.race([client.query("SELECT 1"), timeout]).catch((e: unknown) =>
        markLost(e instanceof Error ? e : new Error(String(e))),
      );
    }, o.heartbeatMs ?? 2_000);
    heartbeat.unref();
    void lost.then(() => clearInterval(heartbeat));
    return {
      epoch,
      lost,
      async release() {
        clearInterval(heartbeat);
        await client.end().catch(() => {});
      },
    };
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
}
