import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import {
  Constraint_Type,
  LabelConstraint_Condition,
  LabelConstraint_Kind,
  type PodSpec,
} from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { VolumeState } from "../../src/gen/peloton/api/v1alpha/volume/volume.js";
import { ManualClock } from "../../src/lib/clock.js";
import { failure } from "../support/grpc-errors.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { jobGone } from "../support/read-jobs.js";
import { countIn, type PodView, podOf } from "../support/read-pods.js";
import { type VolumeView, volumeOf, volumesOf } from "../support/read-volumes.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import { elapse, settle } from "../support/settle.js";

/** Three standard hosts (16 cpu each); placement puts a fresh pod on the emptiest one. */
const ENV = { PELOTON_SIM_HOSTS: "3", PELOTON_PLACEMENT_STRATEGY: "spread" };
const TIMINGS = { restartBackoffMs: 1000, restartBackoffCapMs: 4000 };
const VOLUME_MB = 2048;

/** A pod of 1 cpu with a persistent volume at /data, running `command`. */
const withVolume = (command: string): DeepPartial<PodSpec> => ({
  containers: [{ name: "main", command: { value: command }, resource: { cpuLimit: 1, memLimitMb: 128 } }],
  volume: { containerPath: "/data", sizeMb: VOLUME_MB },
});

/** Pods of 4 cpu that may only run on `hostname`. */
const pinnedTo = (hostname: string): DeepPartial<PodSpec> => ({
  containers: [
    { name: "main", command: { value: "sleep 100000" }, resource: { cpuLimit: 4, memLimitMb: 128 } },
  ],
  constraint: {
    type: Constraint_Type.CONSTRAINT_TYPE_LABEL,
    labelConstraint: {
      kind: LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_HOST,
      condition: LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_EQUAL,
      label: { key: "hostname", value: hostname },
      requirement: 1,
    },
  },
});

/** Instance 0 of a job, through ListPods. */
const pod = async (s: TestServer, jobId: string): Promise<PodView> => (await podOf(s, jobId, 0))!;
const podName = (jobId: string) => ({ value: `${jobId}-0` });

/**
 * Placement here depends on what else runs on the three hosts, and some tests take hosts down:
 * each test starts from a server with no jobs and every host up.
 */
describe.each(serverBackends())("persistent volumes and VolumeService on $name", (backend) => {
  let db: ServerDatabase;
  let s: TestServer;
  let pool: string;
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 12));

  const getVolume = async (id: string) => (await s.volume.getVolume({ volumeId: { value: id } })).result!;

  /** A job of one pod with a volume running `command`, once it runs: the job, its host and volume. */
  const runningWithVolume = async (
    command = "sleep 100000",
  ): Promise<{ jobId: string; host: string; volume: VolumeView }> => {
    const jobId = await createSleepJob(s, pool, 1, withVolume(command));
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
    return { jobId, host: (await pod(s, jobId)).host!, volume: (await volumeOf(s, jobId, 0))! };
  };

  /** Three pods of 4 cpu on `host`: spread placement then puts a fresh pod elsewhere. */
  const fill = async (host: string) => {
    const filler = await createSleepJob(s, pool, 3, pinnedTo(host));
    await settle(s, async () => (await countIn(s, filler, "RUNNING")) === 3);
  };

  beforeAll(async () => {
    db = await backend.create();
    s = await startTestServer(ENV, { database: db.target, clock, timings: TIMINGS });
    pool = await createPool(s, "vol", 32, 8192);
  });
  afterAll(async () => {
    await s?.stop();
    await db?.dispose();
  });
  /** Whatever a test left behind: every host up again, every job deleted. */
  afterEach(async () => {
    for (const h of s.app.fleet.listHosts()) if (h.state === "DOWN") s.app.fleet.hostUp(h.spec.hostname);
    const ids: string[] = [];
    for await (const batch of s.job.listJobs({})) ids.push(...batch.jobs.map((j) => j.jobId!.value));
    for (const id of ids) await s.job.deleteJob({ jobId: { value: id }, force: true });
    await settle(s, async () => (await Promise.all(ids.map((id) => jobGone(s, id)))).every(Boolean));
  });

  it("creates the volume on the host of the pod's first run, in the same commit as the placement", async () => {
    const jobId = await createSleepJob(s, pool, 1, withVolume("sleep 20"));
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
    const firstHost = (await pod(s, jobId)).host!;
    const volume = (await volumeOf(s, jobId, 0))!;
    expect(volume).toMatchObject({
      hostname: firstHost,
      state: "CREATED",
      goal: "CREATED",
      sizeMb: VOLUME_MB,
    });
    const firstVolume = volume.id;
    expect(firstVolume).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await pod(s, jobId)).volumeId).toBe(firstVolume);

    // The stored rows agree: the volume was written with the placement, not after it.
    const placedEvent = (await s.pod.getPodEvents({ podName: podName(jobId) })).events.find(
      (e) => e.actualState === "POD_STATE_PLACED",
    )!;
    const info = await getVolume(firstVolume);
    expect(info).toEqual({
      volumeId: { value: firstVolume },
      podName: podName(jobId),
      hostname: firstHost,
      state: VolumeState.VOLUME_STATE_CREATED,
      desiredState: VolumeState.VOLUME_STATE_CREATED,
      sizeMb: VOLUME_MB,
      containerPath: "/data",
      createTime: placedEvent.timestamp,
      updateTime: placedEvent.timestamp,
    });
    const status = (await s.pod.getPod({ podName: podName(jobId), statusOnly: true })).current?.status;
    expect(status?.volumeId).toEqual({ value: firstVolume });
    expect(status?.host).toBe(firstHost);

    const listed = await s.volume.listVolumes({ jobId: { value: jobId } });
    expect(Object.keys(listed.volumes)).toEqual([firstVolume]);
    expect(listed.volumes[firstVolume]).toEqual(info);
  });

  it("brings the next run back to the volume's host although other hosts are emptier", async () => {
    const { jobId, host: firstHost, volume } = await runningWithVolume("sleep 20");
    const firstVolume = volume.id;
    await fill(firstHost);
    // `sleep 20` ends: the instance starts again as a new run.
    await settle(s, async () => {
      const p = await pod(s, jobId);
      return p.runId === 2 && p.state === "RUNNING";
    });
    expect(await pod(s, jobId)).toMatchObject({ host: firstHost, volumeId: firstVolume });
    const events = await s.pod.getPodEvents({ podName: podName(jobId), podId: { value: `${jobId}-0-1` } });
    expect(events.events.map((e) => e.actualState)).toContain("POD_STATE_SUCCEEDED");

    await s.pod.restartPod({ podName: podName(jobId) });
    await settle(s, async () => {
      const p = await pod(s, jobId);
      return p.runId === 3 && p.state === "RUNNING";
    });
    expect(await pod(s, jobId)).toMatchObject({ host: firstHost, volumeId: firstVolume });
    // Still the one volume: a run on the same host reuses it.
    expect(Object.keys((await s.volume.listVolumes({ jobId: { value: jobId } })).volumes)).toEqual([
      firstVolume,
    ]);
  });

  it("refuses DeleteVolume while the pod runs, naming the pod, and changes nothing", async () => {
    const { jobId, host, volume } = await runningWithVolume();
    const before = await getVolume(volume.id);
    expect(await failure(s.volume.deleteVolume({ volumeId: { value: volume.id } }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      details: expect.stringContaining(`pod ${jobId}-0 (RUNNING on ${host})`),
    });
    await s.app.engine.idle();
    expect(await getVolume(volume.id)).toEqual(before);
    expect(await pod(s, jobId)).toMatchObject({ state: "RUNNING", volumeId: volume.id });
  });

  it("deletes the volume once the pod is stopped; the next run may go anywhere and gets a new volume", async () => {
    const { jobId, host: firstHost, volume } = await runningWithVolume();
    const firstVolume = volume.id;
    // The volume's host is the fullest: a run free to go elsewhere does.
    await fill(firstHost);
    await s.pod.stopPod({ podName: podName(jobId) });
    await settle(s, async () => (await pod(s, jobId)).state === "KILLED");
    await s.volume.deleteVolume({ volumeId: { value: firstVolume } });
    const deleted = await getVolume(firstVolume);
    expect(deleted).toMatchObject({
      state: VolumeState.VOLUME_STATE_DELETED,
      desiredState: VolumeState.VOLUME_STATE_DELETED,
      hostname: firstHost,
    });
    expect(deleted.updateTime > deleted.createTime).toBe(true);
    expect((await pod(s, jobId)).volumeId).toBeNull();
    expect(
      (await s.pod.getPod({ podName: podName(jobId), statusOnly: true })).current?.status?.volumeId,
    ).toBeUndefined();
    // Deleting it again changes nothing.
    await s.volume.deleteVolume({ volumeId: { value: firstVolume } });
    expect(await getVolume(firstVolume)).toEqual(deleted);

    await s.pod.startPod({ podName: podName(jobId) });
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
    const host = (await pod(s, jobId)).host!;
    expect(host).not.toBe(firstHost);
    const second = (await volumeOf(s, jobId, 0))!;
    expect(second).toMatchObject({ hostname: host, state: "CREATED" });
    expect(second.id).not.toBe(firstVolume);
    expect((await pod(s, jobId)).volumeId).toBe(second.id);
    const listed = (await s.volume.listVolumes({ jobId: { value: jobId } })).volumes;
    expect(Object.keys(listed).sort()).toEqual([firstVolume, second.id].sort());
    expect(listed[second.id]?.state).toBe(VolumeState.VOLUME_STATE_CREATED);
    expect(listed[firstVolume]?.state).toBe(VolumeState.VOLUME_STATE_DELETED);
  });

  it("keeps the pod PENDING with the reason while its volume's host is down, rather than moving it", async () => {
    const { jobId, host, volume } = await runningWithVolume();
    const run = (await pod(s, jobId)).runId;
    s.app.fleet.hostDown(host, "power loss");
    await settle(s, async () => {
      const p = await pod(s, jobId);
      return p.runId > run && p.state === "PENDING" && p.message.includes("DOWN");
    });
    // Long enough for several scheduling rounds and restarts elsewhere, had the pod been free to move.
    await elapse(s, 20_000);
    const waiting = await pod(s, jobId);
    expect(waiting).toMatchObject({ state: "PENDING", host: null, volumeId: volume.id });
    expect(waiting.message).toBe(
      `waiting for host ${host}, which holds its persistent volume ${volume.id}: host DOWN`,
    );
    const status = (await s.pod.getPod({ podName: podName(jobId), statusOnly: true })).current?.status;
    expect(status?.message).toBe(waiting.message);

    s.app.fleet.hostUp(host);
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
    expect((await pod(s, jobId)).host).toBe(host);
    expect((await volumeOf(s, jobId, 0))?.id).toBe(volume.id);
  });

  it("answers NOT_FOUND for unknown ids and INVALID_ARGUMENT naming the field for bad ones", async () => {
    const unknown = randomUUID();
    expect(await failure(s.volume.getVolume({ volumeId: { value: unknown } }))).toMatchObject({
      code: "NOT_FOUND",
      details: `volume ${unknown} does not exist`,
    });
    expect(await failure(s.volume.deleteVolume({ volumeId: { value: unknown } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.volume.listVolumes({ jobId: { value: unknown } }))).toMatchObject({
      code: "NOT_FOUND",
      details: `job ${unknown} does not exist`,
    });
    expect(await failure(s.volume.getVolume({ volumeId: { value: "" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["volume_id.value"],
    });
    expect(await failure(s.volume.deleteVolume({ volumeId: { value: "nope" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: 'volume_id.value: "nope" is not a UUID',
    });
    expect(await failure(s.volume.listVolumes({}))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: "job_id.value: is required",
    });
  });

  it("keeps the volume across a server restart on the same database, and the pod still goes back to its host", async () => {
    const { jobId, volume: created } = await runningWithVolume();
    const volume = await getVolume(created.id);
    const host = volume.hostname;
    await s.pod.stopPod({ podName: podName(jobId) });
    await settle(s, async () => (await pod(s, jobId)).state === "KILLED");
    await s.stop();

    s = await startTestServer(ENV, { database: db.target, clock, timings: TIMINGS });
    expect(await getVolume(volume.volumeId!.value)).toEqual(volume);
    expect((await volumeOf(s, jobId, 0))?.id).toBe(volume.volumeId!.value);
    // With its host down, the restarted server keeps the pod waiting for it: it knows the volume.
    s.app.fleet.hostDown(host, "power loss");
    await s.pod.startPod({ podName: podName(jobId) });
    await settle(s, async () => {
      const p = await pod(s, jobId);
      return p.state === "PENDING" && p.message.includes(volume.volumeId!.value);
    });
    s.app.fleet.hostUp(host);
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
    expect(await pod(s, jobId)).toMatchObject({ host, volumeId: volume.volumeId!.value });
  });

  it("deletes a job's volumes with the job", async () => {
    // Two volumes: the first deleted while the pod was stopped, the second made by its next run.
    const { jobId, volume } = await runningWithVolume();
    await s.pod.stopPod({ podName: podName(jobId) });
    await settle(s, async () => (await pod(s, jobId)).state === "KILLED");
    await s.volume.deleteVolume({ volumeId: { value: volume.id } });
    await s.pod.startPod({ podName: podName(jobId) });
    await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");

    const ids = (await volumesOf(s, jobId)).map((v) => v.id);
    expect(ids).toHaveLength(2);
    await s.job.deleteJob({ jobId: { value: jobId }, force: true });
    await settle(s, () => jobGone(s, jobId));
    for (const id of ids)
      expect(await failure(s.volume.getVolume({ volumeId: { value: id } }))).toMatchObject({
        code: "NOT_FOUND",
      });
    expect(await failure(s.volume.listVolumes({ jobId: { value: jobId } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    const rows = await s.app.database.db
      .selectFrom("volumes")
      .select("id")
      .where("job_id", "=", jobId)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("a drain of the host that holds a pod's volume", () => {
  it("moves the pod off; it waits for its volume's host, which still goes DOWN, and returns there after CompleteMaintenance", async () => {
    const s = await startTestServer(ENV, { timings: TIMINGS });
    try {
      const pool = await createPool(s, "vol", 16, 4096);
      const jobId = await createSleepJob(s, pool, 1, withVolume("sleep 100000"));
      await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
      const host = (await pod(s, jobId)).host!;
      const volume = (await volumeOf(s, jobId, 0))!;
      const hostState = async () =>
        (await s.host.queryHosts({})).hostInfos.find((h) => h.hostname === host)?.state;

      await s.host.startMaintenance({ hostnames: [host] });
      await settle(s, async () => (await hostState()) === HostState.HOST_STATE_DOWN);
      // The run was killed for the maintenance; the next one may only go to the volume's host.
      const firstRun = await s.pod.getPodEvents({
        podName: { value: `${jobId}-0` },
        podId: { value: `${jobId}-0-1` },
      });
      expect(firstRun.events.map((e) => e.message)).toContain(`killing for maintenance of host ${host}`);
      const waiting = await pod(s, jobId);
      expect(waiting).toMatchObject({ runId: 2, state: "PENDING", volumeId: volume.id });
      expect(waiting.message).toContain(
        `waiting for host ${host}, which holds its persistent volume ${volume.id}`,
      );

      await s.host.completeMaintenance({ hostnames: [host] });
      await settle(s, async () => (await pod(s, jobId)).state === "RUNNING");
      expect(await pod(s, jobId)).toMatchObject({ runId: 2, host, volumeId: volume.id });
      expect(Object.keys((await s.volume.listVolumes({ jobId: { value: jobId } })).volumes)).toEqual([
        volume.id,
      ]);
    } finally {
      await s.stop();
    }
  });
});
