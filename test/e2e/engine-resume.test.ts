import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { jobOf } from "../support/read-jobs.js";
import { podOf, podsOf } from "../support/read-pods.js";
import { startTestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

describe("the engine across a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-resume-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rebuilds its cache from the store and brings every instance back to RUNNING with a new run", async () => {
    const database = { kind: "pglite" as const, dataDir: dir };
    const clock = new ManualClock();
    const timings = { restartBackoffMs: 1000, restartBackoffCapMs: 4000 };
    const first = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock, timings });
    const pool = await createPool(first, "p", 8, 4096);
    const running = await createSleepJob(first, pool, 3, { restartPolicy: { maxFailures: 1 } });
    const stopped = await createSleepJob(first, pool, 2);
    const allRunning = async (jobId: string, instances: number) => {
      const pods = await podsOf(first, jobId);
      return pods.length === instances && pods.every((p) => p.state === "RUNNING");
    };
    await settle(first, async () => (await allRunning(running, 3)) && (await allRunning(stopped, 2)));
    await first.job.stopJob({ jobId: { value: stopped } });
    await settle(first, async () => (await jobOf(first, stopped)).state === "KILLED");
    await first.stop();

    // A new process: the simulated agents are gone with the old one, so the runs are lost.
    const second = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock, timings });
    try {
      expect(await podsOf(second, running)).toHaveLength(3);
      await settle(second, async () =>
        (await podsOf(second, running)).every((p) => p.state === "RUNNING" && p.runId === 2),
      );
      const pods = await podsOf(second, running);
      expect(pods.map((p) => p.prevRunId)).toEqual([1, 1, 1]);
      // Runs lost because the agents went with the old process are no fault of the pods: no
      // failure is counted (with max_failures 1 they would otherwise stay down).
      expect(pods.map((p) => p.failureCount)).toEqual([0, 0, 0]);
      expect(new Set(pods.map((p) => p.instance))).toEqual(new Set([0, 1, 2]));
      // The stopped job stays stopped.
      expect((await jobOf(second, stopped)).state).toBe("KILLED");
      const stoppedPods = await podsOf(second, stopped);
      expect(stoppedPods).toHaveLength(2);
      expect(stoppedPods.every((p) => p.state === "KILLED" && p.runId === 1)).toBe(true);
      const status = (await second.job.getJob({ jobId: { value: running } })).jobInfo?.status;
      expect(status?.podStats).toEqual({ POD_STATE_RUNNING: 3 });
    } finally {
      await second.stop();
    }
  });
});

describe("a workflow across a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-resume-wf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stays paused, and rolls on where it stopped once resumed", async () => {
    const database = { kind: "pglite" as const, dataDir: dir };
    const clock = new ManualClock();
    const first = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock });
    const pool = await createPool(first, "p", 8, 4096);
    const { jobId } = await first.job.createJob({
      spec: {
        name: "wf",
        instanceCount: 4,
        respoolId: { value: pool },
        defaultSpec: {
          containers: [
            { name: "main", command: { value: "sleep 100000" }, resource: { cpuLimit: 1, memLimitMb: 64 } },
          ],
        },
      },
      createSpec: { batchSize: 1 },
    });
    const id = jobId!.value;
    await settle(first, async () => (await podOf(first, id, 0))?.state === "RUNNING");
    const { version } = await first.job.pauseJobWorkflow({ jobId: { value: id } });
    const before = (await podsOf(first, id)).length;
    await first.stop();

    const second = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock });
    try {
      expect((await jobOf(second, id)).workflow).toBe("PAUSED");
      clock.advance(30_000);
      await second.app.engine.idle();
      expect(await podsOf(second, id)).toHaveLength(before);
      const resumed = await second.job.resumeJobWorkflow({ jobId: { value: id }, version });
      expect(resumed.version?.value).toBe("1-1-3");
      await settle(second, async () => (await jobOf(second, id)).workflow === "SUCCEEDED");
      expect((await podsOf(second, id)).map((p) => p.state)).toEqual([
        "RUNNING",
        "RUNNING",
        "RUNNING",
        "RUNNING",
      ]);
    } finally {
      await second.stop();
    }
  });
});
