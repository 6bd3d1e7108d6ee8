import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TERMINATION_REASONS } from "../../../../../src/domain/pod.js";
import { restart } from "../../../../../src/engine/kinds/pod/actions/restart.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness, type Harness } from "../../../support/engine-harness.js";
import { runLaunched, runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

const liveness = {
  command: "true",
  initialIntervalSecs: 0,
  intervalSecs: 0,
  timeoutSecs: 0,
  maxConsecutiveFailures: 0,
};
const timings = { restartBackoffMs: 1_000, restartBackoffCapMs: 4_000 };
const failed = (failureCount: number, completedAt = NOW) =>
  podContext(
    { state: "FAILED", host: "h0", terminationReason: "FAILED", exitCode: 1, failureCount, completedAt },
    { timings },
  );

describe("restart", () => {
  it("waits min(base·2^(failures−1), cap) after a failed run ended", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const wait = Math.min(1_000 * 2 ** (n - 1), 4_000);
        expect(restart(failed(n, NOW - wait + 1))).toEqual({ recheckAt: NOW + 1 });
        expect(restart(failed(n, NOW - wait)).pod?.state).toBe("PENDING");
      }),
    );
  });

  it("starts a new run of the desired configuration, keeping the failures and the volume", () => {
    const ctx = podContext(
      {
        state: "LOST",
        runId: 4,
        configVersion: 1,
        desiredConfigVersion: 2,
        host: "h0",
        agentId: "a",
        ports: { http: 31000 },
        healthy: "UNHEALTHY",
        exitCode: 3,
        terminationReason: "FAILED",
        failureCount: 1,
        volumeId: "v",
        startedAt: 1,
        completedAt: NOW - 1_000,
      },
      { timings, template: { containers: [{ name: "c", command: "x", liveness }] } },
    );
    const step = restart(ctx);
    expect(step.event).toBe(true);
    expect(step.pod).toEqual({
      ...ctx.pod,
      runId: 5,
      prevRunId: 4,
      state: "PENDING",
      configVersion: 2,
      host: null,
      agentId: null,
      ports: {},
      message: "waiting for admission and placement",
      reason: "",
      healthy: "UNKNOWN",
      exitCode: null,
      terminationReason: null,
      startedAt: null,
      completedAt: null,
      updatedAt: NOW,
      revision: ctx.pod.revision + 1,
    });
    expect(restart({ ...ctx, template: podTemplate() }).pod?.healthy).toBe("DISABLED");
  });

  it("restarts at once after an end that was no fault of the pod, however often it failed before", () => {
    const noFault = TERMINATION_REASONS.filter(
      (r) => !["FAILED", "SUCCEEDED", "FAILED_HEALTH_CHECK"].includes(r),
    );
    expect(noFault).toHaveLength(5);
    for (const reason of noFault) {
      const ctx = podContext(
        { state: "KILLED", terminationReason: reason, failureCount: 9, completedAt: NOW },
        { timings, template: { maxFailures: 3 } },
      );
      expect(restart(ctx).pod).toMatchObject({ state: "PENDING", runId: 2, failureCount: 9 });
    }
  });

  it("gives up once restart_policy.max_failures is reached, saying so once", () => {
    const ctx = { ...failed(3, 0), template: podTemplate({ maxFailures: 3 }) };
    const step = restart(ctx);
    expect(step.pod).toMatchObject({
      state: "FAILED",
      runId: 1,
      message: "not restarted: failed 3 times (restart_policy.max_failures 3)",
    });
    expect(step.event ?? false).toBe(false);
    expect(step.recheckAt).toBeUndefined();
    expect(restart({ ...ctx, pod: step.pod! })).toEqual({});
    expect(restart({ ...failed(2, 0), template: podTemplate({ maxFailures: 3 }) }).pod?.state).toBe(
      "PENDING",
    );
  });
});

/** Reports the pod's current run FAILED and lets the engine take it in. */
async function fail(h: Harness, jobId: string): Promise<void> {
  const pod = h.store.pod(jobId, 0)!;
  h.fleet.report(
    RecordingFleet.pod(`${jobId}-0-${pod.runId}`, "FAILED", h.clock.now(), {
      hostname: pod.host!,
      exitCode: 1,
    }),
  );
  await h.engine.idle();
}

describe("restart in the engine", () => {
  it("doubles the backoff with each failure up to the cap", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    for (const [run, wait] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 4_000],
    ] as const) {
      await fail(h, job.id);
      expect(h.store.pod(job.id, 0)).toMatchObject({ state: "FAILED", runId: run, failureCount: run });
      await h.advance(wait - 1);
      expect(h.store.pod(job.id, 0)?.runId).toBe(run);
      await h.advance(1);
      expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LAUNCHING", runId: run + 1 });
      await runLaunched(h);
    }
  });

  it("ends the backoff at once for a run it killed on request (RestartPod), counting no failure", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    await fail(h, job.id);
    await h.advance(1_000);
    await runLaunched(h);
    await h.engine.podCommand(job.id, 0, "restart");
    expect(h.fleet.kills.map((k) => k.podId)).toEqual([`${job.id}-0-2`]);
    h.fleet.report(RecordingFleet.pod(`${job.id}-0-2`, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LAUNCHING", runId: 3, failureCount: 1 });
  });

  it("gives up on an instance after max_failures failed runs; the others run on", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await runningJob(h, 2, {
      templates: { default: podTemplate({ maxFailures: 2 }), instances: {} },
    });
    await fail(h, job.id);
    await h.advance(1_000);
    await runLaunched(h);
    await fail(h, job.id);
    await h.advance(60_000);
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "FAILED",
      runId: 2,
      failureCount: 2,
      message: "not restarted: failed 2 times (restart_policy.max_failures 2)",
    });
    expect(h.store.pod(job.id, 1)?.state).toBe("RUNNING");
    expect(h.fleet.launches).toEqual([]);
  });
});
