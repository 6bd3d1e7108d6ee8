import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseTarget } from "../../src/store/open-database.js";

/** A database a test server (or several, one after another) can run on, and its removal. */
export interface ServerDatabase {
  readonly target: DatabaseTarget;
  dispose(): Promise<void>;
}

export interface ServerBackend {
  readonly name: "pglite" | "postgres";
  create(): Promise<ServerDatabase>;
}

async function adminQuery(admin: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** PGlite in a scratch folder (so that a second server finds the first one's data). */
const pgliteOnDisk: ServerBackend = {
  name: "pglite",
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "peloton-e2e-"));
    return {
      target: { kind: "pglite", dataDir: dir },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** A fresh database of its own on the Postgres at `admin`. */
const postgres = (admin: string): ServerBackend => ({
  name: "postgres",
  async create() {
    const name = `peloton_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(admin, `CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      target: { kind: "postgres", url: url.toString(), poolSize: 4 },
      dispose: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
});

/** The databases end-to-end tests run servers on: PGlite always, Postgres when PELOTON_TEST_DATABASE_URL is set. */
export function serverBackends(): ServerBackend[] {
  const admin = process.env.PELOTON_TEST_DATABASE_URL;
  return admin ? [pgliteOnDisk, postgres(admin)] : [pgliteOnDisk];
}
