import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../src/lib/app-error.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { ResourcePoolRepository } from "../../src/store/resource-pool-repository.js";
import { backends } from "../support/backends.js";
import { poolConfig } from "../support/pools.js";

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
};

describe.each(backends())("ResourcePoolRepository on $name", (backend) => {
  let open: OpenDatabase;
  let pools: ResourcePoolRepository;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    pools = new ResourcePoolRepository(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  it("creates pools under the root and below them, with paths", async () => {
    await pools.create({
      id: "infra",
      parentId: "root",
      config: poolConfig("infra", { cpu: [10, 20] }),
      now: 1,
    });
    const compute = await pools.create({
      id: "compute",
      parentId: "infra",
      config: poolConfig("compute", { cpu: [4, 10] }),
      now: 2,
    });
    expect(compute).toMatchObject({ id: "compute", parentId: "infra", path: "/infra/compute", revision: 1 });
    expect((await pools.getByPath("/infra/compute"))?.id).toBe("compute");
  });

  it("refuses a taken id, a missing parent, and a child breaking its parent's limits", async () => {
    expect(
      await codeOf(pools.create({ id: "infra", parentId: "root", config: poolConfig("x"), now: 3 })),
    ).toBe("ALREADY_EXISTS");
    expect(await codeOf(pools.create({ id: "y", parentId: "nope", config: poolConfig("y"), now: 3 }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(
        pools.create({ id: "big", parentId: "infra", config: poolConfig("big", { cpu: [1, 30] }), now: 3 }),
      ),
    ).toBe("INVALID_ARGUMENT");
    expect(await pools.get("big")).toBeUndefined();
  });

  it("lets only one of two racing siblings take the parent's last reservation", async () => {
    const racers = ["r1", "r2"].map((id) =>
      codeOf(pools.create({ id, parentId: "infra", config: poolConfig(id, { cpu: [6, 6] }), now: 4 })),
    );
    const results = (await Promise.all(racers)).sort();
    expect(results).toEqual(["INVALID_ARGUMENT", "OK"]);
    await pools.delete((await pools.get("r1")) ? "r1" : "r2");
  });

  it("renames a pool and the paths of its whole subtree", async () => {
    await pools.update({ id: "infra", config: poolConfig("platform", { cpu: [10, 20] }), now: 5 });
    expect((await pools.get("compute"))?.path).toBe("/platform/compute");
    expect((await pools.get("infra"))?.revision).toBe(2);
  });

  it("refuses an update that leaves a child above the pool's limit", async () => {
    const code = await codeOf(
      pools.update({ id: "infra", config: poolConfig("platform", { cpu: [10, 5] }), now: 6 }),
    );
    expect(code).toBe("INVALID_ARGUMENT");
    expect((await pools.get("infra"))?.config.resources[0]?.limit).toBe(20);
  });

  it("deletes leaves only, and never the root", async () => {
    expect(await codeOf(pools.delete("infra"))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(pools.delete("root"))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(pools.delete("missing"))).toBe("NOT_FOUND");
    await pools.delete("compute");
    await pools.delete("infra");
    expect((await pools.list()).map((p) => p.id)).toEqual(["root"]);
  });
});
