import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeSet } from "../../../src/domain/change-set.js";
import { commitChanges, storedRevision } from "../../../src/store/commit/commit.js";
import { migrateToLatest } from "../../../src/store/migrate.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { backends } from "../../support/backends.js";
import { poolRecord, ROOT } from "../../support/commit.js";
import { poolConfig } from "../../support/pools.js";

const pools = (name: string) => changeSet({ pools: [poolRecord(name, ROOT, poolConfig(name))] });

describe.each(backends())("the commit's revision and epoch on $name", (backend) => {
  let open: OpenDatabase;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  it("takes revisions one after another, and refuses one that does not follow the stored one, writing nothing", async () => {
    const r = await storedRevision(open.db);
    await commitChanges(open.db, pools("a"), r + 1, 1);
    expect(await storedRevision(open.db)).toBe(r + 1);
    for (const wrong of [r + 1, r + 3]) {
      await expect(commitChanges(open.db, pools("b"), wrong, 2)).rejects.toMatchObject({
        name: "RevisionConflict",
      });
    }
    expect(await storedRevision(open.db)).toBe(r + 1);
    const b = await open.db.selectFrom("resource_pools").select("id").where("id", "=", "b").execute();
    expect(b).toEqual([]);
    const log = await open.db.selectFrom("commit_log").select("revision").orderBy("revision").execute();
    expect(log.map((l) => Number(l.revision))).toContain(r + 1);
    expect(log.map((l) => Number(l.revision))).not.toContain(r + 3);
  });

  it("refuses a commit of a writer whose epoch has been taken over (fenced), writing nothing", async () => {
    const epoch = Number(
      (await open.db.selectFrom("engine_revision").select("epoch").executeTakeFirstOrThrow()).epoch,
    );
    const r = await storedRevision(open.db);
    await commitChanges(open.db, pools("c"), r + 1, 3, epoch);
    // Another server takes the lease: the epoch moves on.
    await open.db
      .updateTable("engine_revision")
      .set({ epoch: epoch + 1 })
      .execute();
    await expect(commitChanges(open.db, pools("d"), r + 2, 4, epoch)).rejects.toMatchObject({
      name: "Fenced",
    });
    expect(await storedRevision(open.db)).toBe(r + 1);
    await commitChanges(open.db, pools("d"), r + 2, 4, epoch + 1);
    expect(await storedRevision(open.db)).toBe(r + 2);
  });
});
