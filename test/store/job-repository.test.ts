import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobQuery } from "../../src/domain/job.js";
import { isAppError } from "../../src/lib/app-error.js";
import { JobRepository, type NewJob } from "../../src/store/job-repository.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { ResourcePoolRepository } from "../../src/store/resource-pool-repository.js";
import { backends } from "../support/backends.js";
import { poolConfig } from "../support/pools.js";

const job = (id: string, over: Partial<NewJob> = {}): NewJob => ({
  id,
  name: `job-${id}`,
  owner: "alice",
  owningTeam: "infra",
  description: "",
  labels: [],
  respoolId: "leaf",
  instanceCount: 1,
  spec: { name: `job-${id}` },
  templates: { default: null, instances: {} },
  priority: 0,
  maxUnavailable: 0,
  secrets: [],
  now: 1000,
  ...over,
});

const query = (q: Partial<JobQuery> = {}): JobQuery => ({
  labels: [],
  keywords: [],
  states: [],
  offset: 0,
  limit: 100,
  maxLimit: 0,
  orderBy: [],
  ...q,
});

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "OK",
    (e) => {
      if (isAppError(e)) return e.code;
      throw e;
    },
  );

describe.each(backends())("JobRepository on $name", (backend) => {
  let open: OpenDatabase;
  let jobs: JobRepository;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    const pools = new ResourcePoolRepository(open.db);
    await pools.create({ id: "mid", parentId: "root", config: poolConfig("mid", { cpu: [10, 10] }), now: 0 });
    await pools.create({ id: "leaf", parentId: "mid", config: poolConfig("leaf", { cpu: [5, 10] }), now: 0 });
    await pools.create({
      id: "other",
      parentId: "root",
      config: poolConfig("other", { cpu: [1, 1] }),
      now: 0,
    });
    jobs = new JobRepository(open.db);
    await jobs.create(
      job("a", {
        name: "web-frontend",
        labels: [
          { key: "team", value: "web" },
          { key: "tier", value: "1" },
        ],
        description: "serves the Checkout page",
        now: 1000,
        secrets: [{ id: "s1", path: "/etc/secret", value: new Uint8Array([1, 2, 3]) }],
      }),
    );
    await jobs.create(
      job("b", { name: "web-backend", owner: "bob", labels: [{ key: "team", value: "web" }], now: 2000 }),
    );
    await jobs.create(job("c", { name: "batch_50%", respoolId: "other", now: 3000 }));
    await jobs.create(job("d", { name: "web-frontend", now: 4000 }));
  });
  afterAll(async () => {
    await open?.close();
  });

  it("stores config version 1, the runtime at 1-1-1 and the secrets without exposing values", async () => {
    const a = await jobs.get("a");
    expect(a).toMatchObject({
      state: "INITIALIZED",
      goalState: "RUNNING",
      configVersion: 1,
      desiredStateVersion: 1,
    });
    expect(await jobs.getConfig("a", 1)).toEqual({ name: "job-a" });
    expect(await jobs.getConfig("a", 2)).toBeUndefined();
    expect(await jobs.secrets("a")).toEqual([{ id: "s1", path: "/etc/secret" }]);
  });

  it("refuses a taken id, a missing pool, the root and a non-leaf pool, writing nothing", async () => {
    expect(await codeOf(jobs.create(job("a")))).toBe("ALREADY_EXISTS");
    expect(await codeOf(jobs.create(job("x", { respoolId: "nope" })))).toBe("NOT_FOUND");
    expect(await codeOf(jobs.create(job("x", { respoolId: "root" })))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(jobs.create(job("x", { respoolId: "mid" })))).toBe("INVALID_ARGUMENT");
    expect(await jobs.get("x")).toBeUndefined();
  });

  it("finds ids by exact name, newest first", async () => {
    expect(await jobs.idsByName("web-frontend")).toEqual(["d", "a"]);
    expect(await jobs.idsByName("web")).toEqual([]);
  });

  it("lists every job in batches", async () => {
    const batches: string[][] = [];
    for await (const b of jobs.listAll(3)) batches.push(b.map((j) => j.id));
    expect(batches).toEqual([["a", "b", "c"], ["d"]]);
  });

  const ids = async (q: Partial<JobQuery>) => (await jobs.query(query(q))).records.map((r) => r.id);

  it("filters by labels (all must match), keywords, owner, name, pools and times", async () => {
    expect(await ids({ labels: [{ key: "team", value: "web" }] })).toEqual(["b", "a"]);
    expect(
      await ids({
        labels: [
          { key: "team", value: "web" },
          { key: "tier", value: "1" },
        ],
      }),
    ).toEqual(["a"]);
    expect(await ids({ keywords: ["CHECKOUT"] })).toEqual(["a"]);
    expect(await ids({ keywords: ["web", "bob"] })).toEqual(["b"]);
    expect(await ids({ owner: "bob" })).toEqual(["b"]);
    expect(await ids({ owner: "bo" })).toEqual([]);
    expect(await ids({ name: "front" })).toEqual(["d", "a"]);
    expect(await ids({ name: "50%" })).toEqual(["c"]);
    expect(await ids({ name: "5_%" })).toEqual([]);
    expect(await ids({ respoolIds: ["other"] })).toEqual(["c"]);
    expect(await ids({ respoolIds: [] })).toEqual([]);
    expect(await ids({ creationTime: { min: 2000, max: 3000 } })).toEqual(["c", "b"]);
    expect(await ids({ states: ["INITIALIZED"] })).toEqual(["d", "c", "b", "a"]);
    expect(await ids({ states: ["RUNNING"] })).toEqual([]);
    expect(await ids({ completionTime: { min: 0 } })).toEqual([]);
  });

  it("pages with offset, limit and max_limit and orders by the given properties", async () => {
    expect(await jobs.query(query({ offset: 1, limit: 2 }))).toMatchObject({ total: 4 });
    expect(await ids({ offset: 1, limit: 2 })).toEqual(["c", "b"]);
    expect((await jobs.query(query({ maxLimit: 3, offset: 2, limit: 10 }))).total).toBe(3);
    expect(await ids({ maxLimit: 3, offset: 2, limit: 10 })).toEqual(["b"]);
    expect(await ids({ offset: 10 })).toEqual([]);
    expect(await ids({ orderBy: [{ property: "name", descending: false }] })).toEqual(["c", "b", "a", "d"]);
    expect(
      await ids({
        orderBy: [
          { property: "owner", descending: true },
          { property: "creation_time", descending: false },
        ],
      }),
    ).toEqual(["b", "a", "c", "d"]);
  });

  it("counts pods per state and config version (none yet)", async () => {
    const stats = await jobs.podStats(["a"]);
    expect(stats.get("a")).toEqual({ byState: {}, byVersion: {} });
  });
});
