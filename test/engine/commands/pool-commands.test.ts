import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { isAppError } from "../../../src/lib/app-error.js";
import { migrateToLatest } from "../../../src/store/migrate.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { PoolReads } from "../../../src/store/read/pool-reads.js";
import { RuntimeStore } from "../../../src/store/runtime-store.js";
import { backends } from "../../support/backends.js";
import { poolConfig } from "../../support/pools.js";
import { engineHarness } from "../support/engine-harness.js";

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
};

/** The pool commands through the engine, on a real database: what they commit is read back as rows. */
describe.each(backends())("pool commands on $name", (backend) => {
  let open: OpenDatabase;
  let engine: Engine;
  let pools: PoolReads;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    ({ engine } = await engineHarness({ store: new RuntimeStore(open.db) }));
    pools = new PoolReads(open.db);
  });
  afterAll(async () => {
    await engine?.stop();
    await open?.close();
  });

  it("creates pools under the root and below them, with paths", async () => {
    await engine.createPool({
      id: "infra",
      parentId: "root",
      config: poolConfig("infra", { cpu: [10, 20] }),
    });
    const compute = await engine.createPool({
      id: "compute",
      parentId: "infra",
      config: poolConfig("compute", { cpu: [4, 10] }),
    });
    expect(compute).toMatchObject({ id: "compute", parentId: "infra", path: "/infra/compute", revision: 1 });
    expect((await pools.getByPath("/infra/compute"))?.id).toBe("compute");
  });

  it("refuses a taken id, a missing parent, and a child breaking its parent's limits", async () => {
    expect(await codeOf(engine.createPool({ id: "infra", parentId: "root", config: poolConfig("x") }))).toBe(
      "ALREADY_EXISTS",
    );
    expect(await codeOf(engine.createPool({ id: "y", parentId: "nope", config: poolConfig("y") }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(
        engine.createPool({ id: "big", parentId: "infra", config: poolConfig("big", { cpu: [1, 30] }) }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await pools.get("big")).toBeUndefined();
  });

  it("lets only one of two racing siblings take the parent's last reservation", async () => {
    const racers = ["r1", "r2"].map((id) =>
      codeOf(engine.createPool({ id, parentId: "infra", config: poolConfig(id, { cpu: [6, 6] }) })),
    );
    const results = (await Promise.all(racers)).sort();
    expect(results).toEqual(["INVALID_ARGUMENT", "OK"]);
    await engine.deletePool((await pools.get("r1")) ? "r1" : "r2");
  });

  it("renames a pool and the paths of its whole subtree", async () => {
    await engine.updatePool({ id: "infra", config: poolConfig("platform", { cpu: [10, 20] }) });
    expect((await pools.get("compute"))?.path).toBe("/platform/compute");
    expect((await pools.get("infra"))?.revision).toBe(2);
  });

  it("refuses an update that leaves a child above the pool's limit", async () => {
    const code = await codeOf(
      engine.updatePool({ id: "infra", config: poolConfig("platform", { cpu: [10, 5] }) }),
    );
    expect(code).toBe("INVALID_ARGUMENT");
    expect((await pools.get("infra"))?.config.resources[0]?.limit).toBe(20);
  });

  it("deletes leaves only, and never the root", async () => {
    expect(await codeOf(engine.deletePool("infra"))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(engine.deletePool("root"))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(engine.deletePool("missing"))).toBe("NOT_FOUND");
    await engine.deletePool("compute");
    await engine.deletePool("infra");
    expect((await pools.list()).map((p) => p.id)).toEqual(["root"]);
  });
});
