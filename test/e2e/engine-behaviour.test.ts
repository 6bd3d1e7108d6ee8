import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import {
  Constraint_Type,
  HealthCheckSpec_HealthCheckType,
  LabelConstraint_Condition,
  LabelConstraint_Kind,
  type PodSpec,
  PodState,
} from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { jobGone, jobOf } from "../support/read-jobs.js";
import { countIn, ON_HOST, type PodStateName, podOf, podsOf } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

const RESTART_BACKOFF_MS = 1_000;

describe("the engine on the simulated fleet", () => {
  let s: TestServer;
  let pool: string;
  beforeAll(async () => {
    s = await startTestServer(
      { PELOTON_SIM_HOSTS: "4" },
      { timings: { restartBackoffMs: RESTART_BACKOFF_MS, restartBackoffCapMs: 8 * RESTART_BACKOFF_MS } },
    );
    pool = await createPool(s, "svc", 16, 16384);
  });
  afterAll(async () => {
    await s?.stop();
  });

  const createJob = (instances: number, pod: DeepPartial<PodSpec>, labels = [{ key: "app", value: "x" }]) =>
    createSleepJob(s, pool, instances, pod, labels);
  const pods = (jobId: string) => podsOf(s, jobId);
  const first = (jobId: string) => podOf(s, jobId, 0);

  it("restarts a pod whose command exits as a new run, waiting longer after each failure", async () => {
    const id = await createJob(1, {
      containers: [
        { name: "main", command: { value: "sleep 2; exit 3" }, resource: { cpuLimit: 1, memLimitMb: 128 } },
      ],
    });
    await settle(s, async () => (await first(id))?.runId === 4, { stepMs: 250, maxSteps: 400 });
    const events = await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-2` } });
    const failedAt = events.events.find((e) => e.actualState === "POD_STATE_FAILED")?.timestamp;
    expect(failedAt).toBeTruthy();
    const pod = (await first(id))!;
    expect(pod.failureCount).toBe(3);
    expect(pod.prevRunId).toBe(3);
    // Runs 2, 3, 4 started 1 s, 2 s and 4 s after the failures before them.
    const starts: number[] = [];
    for (const run of [2, 3, 4]) {
      const evs = (
        await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-${run}` } })
      ).events;
      starts.push(Date.parse(evs[0]!.timestamp));
    }
    const failures: number[] = [];
    for (const run of [1, 2, 3]) {
      const evs = (
        await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-${run}` } })
      ).events;
      failures.push(Date.parse(evs.find((e) => e.actualState === "POD_STATE_FAILED")!.timestamp));
    }
    const waits = starts.map((t, i) => t - failures[i]!);
    expect(waits[0]).toBeGreaterThanOrEqual(RESTART_BACKOFF_MS);
    expect(waits[1]).toBeGreaterThanOrEqual(2 * RESTART_BACKOFF_MS);
    expect(waits[2]).toBeGreaterThanOrEqual(4 * RESTART_BACKOFF_MS);
    expect(waits[2]).toBeLessThan(4 * RESTART_BACKOFF_MS + 1000);
  });

  it("kills and restarts a pod that fails its liveness check", async () => {
    const id = await createJob(1, {
      containers: [
        {
          name: "main",
          command: { value: "sleep 100000" },
          resource: { cpuLimit: 1, memLimitMb: 128 },
          livenessCheck: {
            enabled: true,
            type: HealthCheckSpec_HealthCheckType.HEALTH_CHECK_TYPE_COMMAND,
            commandCheck: { command: "false" },
            initialIntervalSecs: 1,
            intervalSecs: 1,
            maxConsecutiveFailures: 2,
            timeoutSecs: 1,
          },
        },
      ],
    });
    await settle(s, async () => ((await first(id))?.runId ?? 0) >= 2, { stepMs: 250, maxSteps: 400 });
    const run1 = (await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-1` } }))
      .events;
    expect(run1.some((e) => e.healthy === "HEALTH_STATE_UNHEALTHY" || e.healthy === "UNHEALTHY")).toBe(true);
    expect(run1.map((e) => e.actualState)).toContain("POD_STATE_KILLED");
    expect((await first(id))!.failureCount).toBeGreaterThanOrEqual(1);
  });

  it("brings pods of a lost host back elsewhere", async () => {
    const id = await createJob(2, {});
    await settle(s, async () => (await countIn(s, id, "RUNNING")) === 2);
    const lostHost = (await first(id))!.host!;
    s.app.fleet.hostDown(lostHost, "power loss");
    try {
      await settle(
        s,
        async () => (await pods(id)).every((p) => p.state === "RUNNING" && p.host !== lostHost),
        { stepMs: 250 },
      );
      // Instance 0's first run was on the lost host, and ended LOST there.
      const events = (
        await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-1` } })
      ).events;
      expect(events.map((e) => e.hostname)).toContain(lostHost);
      expect(events.map((e) => e.actualState)).toContain("POD_STATE_LOST");
    } finally {
      s.app.fleet.hostUp(lostHost);
    }
  });

  it("spreads pods by anti-affinity and leaves the extra one PENDING with the reason", async () => {
    const id = await createJob(
      5,
      {
        labels: [{ key: "spread", value: "me" }],
        constraint: {
          type: Constraint_Type.CONSTRAINT_TYPE_LABEL,
          labelConstraint: {
            kind: LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_POD,
            condition: LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_EQUAL,
            label: { key: "spread", value: "me" },
            requirement: 0,
          },
        },
      },
      [{ key: "app", value: "spread" }],
    );
    await settle(s, async () => (await countIn(s, id, "RUNNING")) === 4);
    await settle(s, async () =>
      (await pods(id)).some((p) => p.state === "PENDING" && p.message.includes("constraint")),
    );
    const all = await pods(id);
    const running = all.filter((p) => p.state === "RUNNING");
    expect(new Set(running.map((p) => p.host)).size).toBe(4);
    const pending = all.find((p) => p.state === "PENDING")!;
    expect(pending.message).toMatch(/constraint pod spread=me = 0 on 4 hosts/);
    // QueryPods by state finds that one pod, with the same reason.
    const { pods: listed } = await s.job.queryPods({
      jobId: { value: id },
      spec: { podStates: [PodState.POD_STATE_PENDING] },
    });
    expect(listed.map((p) => p.status?.message)).toEqual([pending.message]);
    expect(listed[0]?.status?.message).toContain("constraint");
    await s.job.deleteJob({ jobId: { value: id }, force: true });
    await settle(s, () => jobGone(s, id));
  });

  it("reports pool usage equal to what the running pods hold", async () => {
    // A pool of its own: two pods running and one stopped, which holds nothing.
    const own = await createPool(s, "usage", 8, 8192);
    const id = await createSleepJob(s, own, 3, {}, [{ key: "app", value: "usage" }]);
    await settle(s, async () => (await countIn(s, id, "RUNNING")) === 3);
    await s.pod.stopPod({ podName: { value: `${id}-2` } });
    await settle(s, async () => (await podOf(s, id, 2))?.state === "KILLED");

    const holding = (list: readonly { state: PodStateName }[]) => list.filter((p) => ON_HOST.has(p.state));
    const held = holding(await pods(id));
    expect(held.length).toBe(2);
    const { respool } = await s.respool.getResourcePool({ respoolId: { value: own } });
    expect(respool?.usages.find((u) => u.kind === "cpu")?.allocation).toBe(held.length);
    expect(respool?.usages.find((u) => u.kind === "memory")?.allocation).toBe(128 * held.length);

    // The root's usage is what the pods of every job on the server hold (each pod takes 1 cpu).
    const jobs: string[] = [];
    for await (const batch of s.job.listJobs({})) jobs.push(...batch.jobs.map((j) => j.jobId!.value));
    const everywhere = holding((await Promise.all(jobs.map((j) => pods(j)))).flat());
    expect(everywhere.length).toBeGreaterThanOrEqual(held.length);
    const root = (await s.respool.getResourcePool({ respoolId: { value: "root" } })).respool;
    expect(root?.usages.find((u) => u.kind === "cpu")?.allocation).toBe(everywhere.length);
  });

  it("leaves a running job as it is on StartJob", async () => {
    const id = await createJob(1, {});
    await settle(s, async () => (await jobOf(s, id)).state === "RUNNING");
    // The whole status, its revision included: any stored change of the pod would show.
    const status = async () =>
      (await s.pod.getPod({ podName: { value: `${id}-0` }, statusOnly: true })).current?.status;
    const before = await status();
    expect(before?.state).toBe(PodState.POD_STATE_RUNNING);
    const { version } = await s.job.startJob({ jobId: { value: id } });
    expect(version?.value).toBe("1-1-1");
    await s.app.engine.idle();
    expect(await status()).toEqual(before);
    expect((await s.job.getJob({ jobId: { value: id } })).jobInfo?.status?.state).toBe(
      JobState.JOB_STATE_RUNNING,
    );
  });
});
