import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewJobChange } from "../../../src/domain/change-set.js";
import type { JobQuery, JobRecord, SecretRecord } from "../../../src/domain/job.js";
import { migrateToLatest } from "../../../src/store/migrate.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { JobReads } from "../../../src/store/read/job-reads.js";
import { backends } from "../../support/backends.js";
import { commitNext, jobRecord, poolRecord, ROOT } from "../../support/commit.js";
import { poolConfig } from "../../support/pools.js";

const job = (
  id: string,
  over: Partial<JobRecord> & { now?: number; secrets?: Omit<SecretRecord, "jobId">[] } = {},
): NewJobChange => {
  const { now = 1000, secrets = [], ...row } = over;
  return {
    job: jobRecord(id, {
      name: `job-${id}`,
      owner: "alice",
      owningTeam: "infra",
      respoolId: "leaf",
      instanceCount: 1,
      createdAt: now,
      updatedAt: now,
      ...row,
    }),
    config: {
      jobId: id,
      version: 1,
      spec: { name: `job-${id}` },
      templates: { default: null, instances: {} },
      createdAt: now,
    },
    secrets: secrets.map((s) => ({ ...s, jobId: id })),
  };
};

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

describe.each(backends())("JobReads on $name", (backend) => {
  let open: OpenDatabase;
  let jobs: JobReads;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    const mid = poolRecord("mid", ROOT, poolConfig("mid", { cpu: [10, 10] }));
    await commitNext(open.db, {
      pools: [
        mid,
        poolRecord("leaf", mid, poolConfig("leaf", { cpu: [5, 10] })),
        poolRecord("other", ROOT, poolConfig("other", { cpu: [1, 1] })),
      ],
    });
    jobs = new JobReads(open.db);
    const created = [
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
      job("b", { name: "web-backend", owner: "bob", labels: [{ key: "team", value: "web" }], now: 2000 }),
      job("c", { name: "batch_50%", respoolId: "other", now: 3000 }),
      job("d", { name: "web-frontend", now: 4000 }),
    ];
    for (const n of created) await commitNext(open.db, { newJobs: [n] });
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
