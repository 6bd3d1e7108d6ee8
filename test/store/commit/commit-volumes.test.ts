import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VolumeRecord } from "../../../src/domain/volume.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { VolumeReads } from "../../../src/store/read/volume-reads.js";
import { backends } from "../../support/backends.js";
import { commitNext } from "../../support/commit.js";
import { openWithJob, TEST_JOB } from "../../support/records.js";

const JOB = TEST_JOB;

const volume = (id: string, instance: number, o: Partial<VolumeRecord> = {}): VolumeRecord => ({
  id,
  jobId: JOB,
  instance,
  hostname: "host-1",
  state: "CREATED",
  goal: "CREATED",
  sizeMb: 2048,
  containerPath: `/data/${instance} "quoted" ünïcode`,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  ...o,
});

describe.each(backends())("VolumeReads on $name", (backend) => {
  let open: OpenDatabase;
  let volumes: VolumeReads;
  beforeAll(async () => {
    open = await openWithJob(backend);
    volumes = new VolumeReads(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  it("writes volumes in the engine's commit and reads them back exactly", async () => {
    const a = volume("a", 0);
    const b = volume("b", 1, { hostname: "host-2", sizeMb: 0 });
    await commitNext(open.db, { volumes: [a, b] });
    expect(await volumes.get("a")).toEqual(a);
    expect(await volumes.listByJob(JOB)).toEqual([a, b]);
    expect((await volumes.live()).sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b]);
    expect(await volumes.get("missing")).toBeUndefined();
  });

  it("updates by id: a DELETED volume leaves the live ones, and the instance may get a new one in the same commit", async () => {
    const deleted = volume("a", 0, { state: "DELETED", goal: "DELETED", updatedAt: 1_700_000_001_000 });
    const fresh = volume("a2", 0, { hostname: "host-3", createdAt: 1_700_000_001_000 });
    await commitNext(open.db, { volumes: [deleted, fresh] });
    expect(await volumes.get("a")).toEqual(deleted);
    expect((await volumes.live()).map((v) => v.id).sort()).toEqual(["a2", "b"]);
    expect((await volumes.listByJob(JOB)).map((v) => v.id)).toEqual(["a", "a2", "b"]);
  });

  it("refuses a second live volume for an instance, and the whole commit with it", async () => {
    const before = await volumes.listByJob(JOB);
    await expect(commitNext(open.db, { volumes: [volume("c", 2), volume("b2", 1)] })).rejects.toThrow();
    expect(await volumes.listByJob(JOB)).toEqual(before);
  });

  it("deletes a job's volumes with the job", async () => {
    await commitNext(open.db, { deleteJobs: [JOB] });
    expect(await volumes.listByJob(JOB)).toEqual([]);
    expect(await volumes.live()).toEqual([]);
  });
});
