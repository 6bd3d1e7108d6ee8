import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeSet } from "../../src/domain/change-set.js";
import { commitChanges, storedRevision } from "../../src/store/commit/commit.js";
import { tryLeaderLease } from "../../src/store/leader-lease.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { type OpenDatabase, openDatabase } from "../../src/store/open-database.js";
import { poolRecord, ROOT } from "../support/commit.js";
import { poolConfig } from "../support/pools.js";

const admin = process.env.PELOTON_TEST_DATABASE_URL;

/** The leader lease exists only on Postgres (PGlite is one process). */
describe.skipIf(!admin)("the leader lease on Postgres", () => {
  let url: string;
  let name: string;
  let open: OpenDatabase;
  const adminQuery = async (text: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    name = `peloton_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const u = new URL(admin!);
    u.pathname = `/${name}`;
    url = u.toString();
    open = await openDatabase({ kind: "postgres", url, poolSize: 2 });
    await migrateToLatest(open.db);
  });
  afterAll(async () => {
    await open?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it("is held by one server at a time; the next one takes it once the first is gone, and fences it", async () => {
    const first = await tryLeaderLease(url);
    expect(first).toBeDefined();
    expect(await tryLeaderLease(url)).toBeUndefined();
    const r = await storedRevision(open.db);
    await commitChanges(
      open.db,
      changeSet({ pools: [poolRecord("a", ROOT, poolConfig("a"))] }),
      r + 1,
      1,
      first!.epoch,
    );

    // The first leader's connection dies (as when its process is killed).
    await adminQuery(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'peloton-leader-lease'`,
    );
    const lost = await first!.lost;
    expect(lost).toBeInstanceOf(Error);
    const second = await tryLeaderLease(url);
    expect(second?.epoch).toBe(first!.epoch + 1);
    // Whatever the first one still tries to commit is refused.
    await expect(
      commitChanges(
        open.db,
        changeSet({ pools: [poolRecord("b", ROOT, poolConfig("b"))] }),
        r + 2,
        2,
        first!.epoch,
      ),
    ).rejects.toMatchObject({ name: "Fenced" });
    await commitChanges(
      open.db,
      changeSet({ pools: [poolRecord("b", ROOT, poolConfig("b"))] }),
      r + 2,
      2,
      second!.epoch,
    );
    await second!.release();
    const third = await tryLeaderLease(url);
    expect(third?.epoch).toBe(second!.epoch + 1);
    await third!.release();
  });
});
