import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { failure } from "../support/grpc-errors.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { jobGone, jobOf } from "../support/read-jobs.js";
import { countIn, podsOf } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

describe("job lifecycle on the simulated fleet", () => {
  let s: TestServer;
  let pool: string;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" });
    pool = await createPool(s, "svc", 8, 4096);
  });
  afterAll(async () => {
    await s?.stop();
  });

  const createJob = (instances: number) => createSleepJob(s, pool, instances);

  const status = async (jobId: string) => (await s.job.getJob({ jobId: { value: jobId } })).jobInfo!.status!;

  it("runs every pod of a new job and reports the job RUNNING", async () => {
    const id = await createJob(3);
    await settle(s, async () => (await status(id)).podStats.POD_STATE_RUNNING === 3);
    const st = await status(id);
    expect(st.state).toBe(JobState.JOB_STATE_RUNNING);
    expect(st.podConfigurationVersionStats).toEqual({ "1-1-1": 3 });
  });

  it("stops a job (KILLED), starts it again with new runs, and deletes it", async () => {
    const id = await createJob(2);
    await settle(s, async () => (await status(id)).podStats.POD_STATE_RUNNING === 2);
    const stopped = await s.job.stopJob({ jobId: { value: id }, version: { value: "1-1-1" } });
    expect(stopped.version?.value).toBe("1-2-1");
    await settle(s, async () => (await status(id)).state === JobState.JOB_STATE_KILLED);
    expect((await status(id)).podStats).toEqual({ POD_STATE_KILLED: 2 });

    expect(
      await failure(s.job.startJob({ jobId: { value: id }, version: { value: "1-1-1" } })),
    ).toMatchObject({
      code: "ABORTED",
    });
    await s.job.startJob({ jobId: { value: id }, version: { value: "1-2-1" } });
    await settle(s, async () => (await status(id)).podStats.POD_STATE_RUNNING === 2);

    expect(await failure(s.job.deleteJob({ jobId: { value: id } }))).toMatchObject({
      code: "ABORTED",
      details: "job is not stopped",
    });
    await s.job.deleteJob({ jobId: { value: id }, force: true });
    await settle(s, () => jobGone(s, id));
    expect(await failure(s.job.getJob({ jobId: { value: id } }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("pod commands and the job's state", () => {
  let s: TestServer;
  let pool: string;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" });
    pool = await createPool(s, "pods", 8, 4096);
  });
  afterAll(async () => {
    await s?.stop();
  });
  const job = (id: string) => jobOf(s, id);
  const pods = (id: string) => podsOf(s, id);
  const bothRunning = async (id: string) => (await countIn(s, id, "RUNNING")) === 2;

  it("StartPod on a stopped job brings the job back to RUNNING, its other pods staying stopped", async () => {
    const id = await createSleepJob(s, pool, 2);
    await settle(s, async () => (await job(id)).state === "RUNNING" && (await bothRunning(id)));
    await s.job.stopJob({ jobId: { value: id } });
    await settle(s, async () => (await job(id)).state === "KILLED");
    await s.pod.startPod({ podName: { value: `${id}-0` } });
    await settle(s, async () => (await job(id)).state === "RUNNING");
    expect((await job(id)).goal).toBe("RUNNING");
    expect((await pods(id)).map((p) => p.state)).toEqual(["RUNNING", "KILLED"]);
  });

  it("a job whose pods were all stopped one by one is KILLED", async () => {
    const id = await createSleepJob(s, pool, 2);
    await settle(s, () => bothRunning(id));
    await s.pod.stopPod({ podName: { value: `${id}-0` } });
    await s.pod.stopPod({ podName: { value: `${id}-1` } });
    await settle(s, async () => (await job(id)).state === "KILLED");
    const stopped = await pods(id);
    expect(stopped).toHaveLength(2);
    expect(stopped.every((p) => p.state === "KILLED")).toBe(true);
  });
});

describe("CreateSpec.batch_size", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("brings up at most batch_size instances at a time", async () => {
    const pool = await createPool(s, "b", 16, 4096);
    const id = (
      await s.job.createJob({
        spec: {
          name: "batched",
          instanceCount: 5,
          respoolId: { value: pool },
          defaultSpec: {
            containers: [
              { name: "c", command: { value: "sleep 100000" }, resource: { cpuLimit: 1, memLimitMb: 64 } },
            ],
          },
        },
        createSpec: { batchSize: 2 },
      })
    ).jobId!.value;
    let most = 0;
    await settle(
      s,
      async () => {
        const pods = await podsOf(s, id);
        most = Math.max(most, pods.filter((p) => p.state !== "RUNNING").length);
        return pods.length === 5 && pods.every((p) => p.state === "RUNNING");
      },
      { stepMs: 100 },
    );
    expect(most).toBeLessThanOrEqual(2);
  });
});

describe("pod creation bounded per tick", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" }, { timings: { podsCreatedPerTick: 3 } });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("creates every pod of jobs created together, a few per tick", async () => {
    const pool = await createPool(s, "many", 32, 32_000);
    const small = {
      containers: [
        { name: "c", command: { value: "sleep 1000" }, resource: { cpuLimit: 0.1, memLimitMb: 10 } },
      ],
    };
    const ids = await Promise.all([0, 1, 2, 3].map(() => createSleepJob(s, pool, 4, small)));
    await settle(s, async () =>
      (await Promise.all(ids.map((id) => countIn(s, id, "RUNNING")))).every((n) => n === 4),
    );
  });
});
