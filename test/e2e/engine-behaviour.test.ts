import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import {
  Constraint_Type,
  HealthCheckSpec_HealthCheckType,
  LabelConstraint_Condition,
  LabelConstraint_Kind,
  type PodSpec,
} from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { createPool, createSleepJob } from "../support/jobs.js";
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
  const pods = (jobId: string) => s.app.engine.pods(jobId);

  it("restarts a pod whose command exits as a new run, waiting longer after each failure", async () => {
    const id = await createJob(1, {
      containers: [
        { name: "main", command: { value: "sleep 2; exit 3" }, resource: { cpuLimit: 1, memLimitMb: 128 } },
      ],
    });
    await settle(s, () => pods(id)[0]?.runId === 4, { stepMs: 250, maxSteps: 400 });
    const events = await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-2` } });
    const failedAt = events.events.find((e) => e.actualState === "POD_STATE_FAILED")?.timestamp;
    expect(failedAt).toBeTruthy();
    const pod = pods(id)[0]!;
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
    await settle(s, () => (pods(id)[0]?.runId ?? 0) >= 2, { stepMs: 250, maxSteps: 400 });
    const first = (await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-1` } }))
      .events;
    expect(first.some((e) => e.healthy === "HEALTH_STATE_UNHEALTHY" || e.healthy === "UNHEALTHY")).toBe(true);
    expect(first.map((e) => e.actualState)).toContain("POD_STATE_KILLED");
    expect(pods(id)[0]!.failureCount).toBeGreaterThanOrEqual(1);
  });

  it("brings pods of a lost host back elsewhere", async () => {
    const id = await createJob(2, {});
    await settle(s, () => pods(id).filter((p) => p.state === "RUNNING").length === 2);
    const lostHost = pods(id)[0]!.host!;
    s.app.fleet.hostDown(lostHost, "power loss");
    await settle(s, () => pods(id).every((p) => p.state === "RUNNING" && p.host !== lostHost), {
      stepMs: 250,
    });
    const events = (
      await s.pod.getPodEvents({ podName: { value: `${id}-0` }, podId: { value: `${id}-0-1` } })
    ).events;
    if (events.some((e) => e.hostname === lostHost))
      expect(events.map((e) => e.actualState)).toContain("POD_STATE_LOST");
    s.app.fleet.hostUp(lostHost);
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
    await settle(s, () => pods(id).filter((p) => p.state === "RUNNING").length === 4);
    await settle(s, () => pods(id).some((p) => p.state === "PENDING" && p.message.includes("constraint")));
    const running = pods(id).filter((p) => p.state === "RUNNING");
    expect(new Set(running.map((p) => p.host)).size).toBe(4);
    const pending = pods(id).find((p) => p.state === "PENDING")!;
    expect(pending.message).toMatch(/constraint pod spread=me = 0 on 4 hosts/);
    const { pods: listed } = await s.job
      .queryPods({ jobId: { value: id }, spec: { podStates: [2] } })
      .catch(() => ({ pods: [] }));
    if (listed.length > 0) expect(listed[0]?.status?.message).toContain("constraint");
    await s.job.deleteJob({ jobId: { value: id }, force: true });
    await settle(s, () => s.app.engine.job(id) === undefined);
  });

  it("reports pool usage equal to what the running pods hold", async () => {
    const { respool } = await s.respool.getResourcePool({ respoolId: { value: pool } });
    await s.app.engine.idle();
    const all = (await s.job.queryJobs({})).records
      .map((r) => r.jobId!.value)
      .flatMap((j) => s.app.engine.pods(j));
    const held = all.filter((p) =>
      ["PLACED", "LAUNCHING", "LAUNCHED", "STARTING", "RUNNING", "KILLING"].includes(p.state),
    );
    const cpu = respool?.usages.find((u) => u.kind === "cpu")?.allocation;
    const memory = respool?.usages.find((u) => u.kind === "memory")?.allocation;
    expect(held.length).toBeGreaterThan(0);
    expect(cpu).toBe(held.length);
    expect(memory).toBe(128 * held.length);
    const root = (await s.respool.getResourcePool({ respoolId: { value: "root" } })).respool;
    expect(root?.usages.find((u) => u.kind === "cpu")?.allocation).toBe(held.length);
  });

  it("leaves a running job as it is on StartJob", async () => {
    const id = await createJob(1, {});
    await settle(s, () => s.app.engine.job(id)?.state === "RUNNING");
    const before = pods(id)[0]!;
    const { version } = await s.job.startJob({ jobId: { value: id } });
    expect(version?.value).toBe("1-1-1");
    await s.app.engine.idle();
    expect(pods(id)[0]).toEqual(before);
    expect((await s.job.getJob({ jobId: { value: id } })).jobInfo?.status?.state).toBe(
      JobState.JOB_STATE_RUNNING,
    );
  });
});
