import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDownAll, migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { backends } from "../support/backends.js";

const TABLES = [
  "commit_log",
  "engine_revision",
  "hosts",
  "job_configs",
  "jobs",
  "pod_events",
  "pods",
  "resource_pools",
  "secrets",
  "volumes",
  "workflow_events",
  "workflows",
];

async function tables(open: OpenDatabase): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY 1`.execute(open.db);
  return rows.map((r) => r.name);
}

describe.each(backends())("migrations on $name", (backend) => {
  let open: OpenDatabase;
  beforeAll(async () => {
    open = await backend.open();
  });
  afterAll(async () => {
    await open?.close();
  });

  it("run up from empty and create every table with the root pool", async () => {
    await migrateToLatest(open.db);
    expect(await tables(open)).toEqual(TABLES);
    const root = await open.db
      .selectFrom("resource_pools")
      .selectAll()
      .where("id", "=", "root")
      .executeTakeFirst();
    expect(root).toMatchObject({ id: "root", parent_id: null, path: "/" });
  });

  it("run down to empty and up again cleanly", async () => {
    await migrateDownAll(open.db);
    expect(await tables(open)).toEqual([]);
    await migrateToLatest(open.db);
    expect(await tables(open)).toEqual(TABLES);
  });

  it("is idempotent: a second run at start changes nothing", async () => {
    await migrateToLatest(open.db);
    expect(await tables(open)).toEqual(TABLES);
  });

  it("reads int8 columns back as numbers", async () => {
    const { rows } = await sql<{ n: number }>`SELECT 9007199254740991::bigint AS n`.execute(open.db);
    expect(rows[0]?.n).toBe(9007199254740991);
  });
});
