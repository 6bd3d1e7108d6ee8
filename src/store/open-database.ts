import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.js";
import type { Database } from "./schema.js";

/** Where the data lives: a Postgres URL, an embedded database folder, or memory (tests). */
export type DatabaseTarget =
  | {
      readonly kind: "postgres";
      readonly url: string;
      readonly poolSize?: number;
      /** `statement_timeout` of every connection, in ms; 0 or unset: none. */
      readonly statementTimeoutMs?: number;
    }
  | { readonly kind: "pglite"; readonly dataDir: string }
  | { readonly kind: "memory" };

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget["kind"];
  close(): Promise<void>;
}

const INT8_OID = 20;

/** The `application_name` the server's connections show in `pg_stat_activity`, unless the URL or PGAPPNAME names one. */
export const APPLICATION_NAME = "peloton-ts";

export interface OpenOptions {
  /**
   * A connection's error outside a query (Postgres restarted, the network dropped it).
   * node-postgres emits it as an event, and an `error` event nobody listens to would end the
   * process; the pool drops the connection and opens a new one when asked.
   */
  readonly onPoolError?: (e: Error) => void;
}

/**
 * Opens Kysely on the target. int8 columns (epoch-millisecond times, bigserial ids) come back
 * as JS numbers on both backends: pg would give strings and PGlite bigints otherwise.
 */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<OpenDatabase> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      fallback_application_name: APPLICATION_NAME,
      ...(target.statementTimeoutMs ? { statement_timeout: target.statementTimeoutMs } : {}),
      max: target.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
      },
    });
    pool.on("error", (e) => options.onPoolError?.(e));
    // A connection that is checked out but between queries (inside a transaction, say) emits
    // its error on the client itself: the pool listens only while it is idle. The client is
    // then unusable; its next query fails, and the pool drops it when it is released.
    pool.on("connect", (client) => client.on("error", (e) => options.onPoolError?.(e)));
    // Fail at start, with the driver's reason, when the server does not answer.
    const client = await pool.connect();
    client.release();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", close: () => db.destroy() };
  }
  let unlock = () => {};
  if (target.kind === "pglite") {
    mkdirSync(target.dataDir, { recursive: true });
    unlock = lockDataDir(target.dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(target.kind === "pglite" ? { dataDir: target.dataDir } : {}),
      extensions: { pg_trgm },
      parsers: { [INT8_OID]: (v: string) => Number(v) },
    });
  } catch (e) {
    unlock();
    throw e;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: target.kind,
    close: async () => {
      try {
        await db.destroy();
      } finally {
        unlock();
      }
    },
  };
}
