import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import pg from "pg";
import { type OpenDatabase, openDatabase } from "../../src/store/open-database.js";

/**
 * The databases every store test runs on: PGlite in memory always; Postgres when
 * PELOTON_TEST_DATABASE_URL is set (CI sets it), or from testcontainers where a container
 * runtime exists. Each `open()` gets a database of its own, dropped again on close.
 */
export interface Backend {
  readonly name: "pglite" | "postgres";
  open(): Promise<OpenDatabase>;
}

const pgliteBackend: Backend = { name: "pglite", open: () => openDatabase({ kind: "memory" }) };

const hasContainerRuntime = (): boolean =>
  existsSync("/var/run/docker.sock") || Boolean(process.env.DOCKER_HOST);

let containerUrl: Promise<string> | undefined;
async function startContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer("postgres:15").start();
  return container.getConnectionUri();
}

async function adminUrl(): Promise<string | undefined> {
  const url = process.env.PELOTON_TEST_DATABASE_URL;
  if (url) return url;
  if (!hasContainerRuntime()) return undefined;
  containerUrl ??= startContainer();
  return containerUrl;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function postgresBackend(url: Promise<string>): Backend {
  return {
    name: "postgres",
    async open() {
      const admin = await url;
      const name = `peloton_test_${randomBytes(6).toString("hex")}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const opened = await openDatabase({ kind: "postgres", url: withDatabase(admin, name), poolSize: 4 });
      return {
        ...opened,
        async close() {
          await opened.close();
          const c = new pg.Client({ connectionString: admin });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

/** The backends of this run, for `describe.each(backends())`. */
export function backends(): Backend[] {
  const wantsPostgres = Boolean(process.env.PELOTON_TEST_DATABASE_URL) || hasContainerRuntime();
  if (!wantsPostgres) return [pgliteBackend];
  const url = adminUrl().then((u) => {
    if (!u) throw new Error("no Postgres for tests");
    return u;
  });
  url.catch(() => {});
  return [pgliteBackend, postgresBackend(url)];
}
