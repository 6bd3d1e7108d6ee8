import { describe, expect, it } from "vitest";
import { checkLaunch } from "../../../../../src/engine/kinds/pod/actions/check-launch.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { newJobInput, runLaunched, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

const timings = { launchTimeoutMs: 10_000, restartBackoffMs: 2_000 };

describe("checkLaunch", () => {
  it("waits for the agent until the launch times out", () => {
    const step = checkLaunch(
      podContext({ state: "LAUNCHING", updatedAt: NOW - 9_999, host: "h0" }, { timings }),
    );
    expect(step).toEqual({ recheckAt: NOW + 1 });
  });

  it("takes a launch never confirmed as LOST, counted as a failure, and looks again at once", () => {
    const step = checkLaunch(
      podContext({ state: "LAUNCHING", updatedAt: NOW - 10_000, host: "h0", failureCount: 2 }, { timings }),
    );
    expect(step.pod).toMatchObject({
      state: "LOST",
      reason: "REASON_LAUNCH_TIMEOUT",
      message: "the agent never confirmed the launch",
      completedAt: NOW,
      failureCount: 3,
      updatedAt: NOW,
      runId: 1,
    });
    expect(step).toMatchObject({ event: true, recheckAt: NOW });
    expect(step.kill ?? false).toBe(false);
    expect(step.launch ?? false).toBe(false);
  });

  it("in the engine: a run never confirmed is LOST after the timeout and restarts after the backoff", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await h.engine.createJob(newJobInput(1));
    await h.engine.idle();
    expect(h.store.pod(job.id, 0)?.state).toBe("LAUNCHING");
    expect(h.fleet.launches.splice(0).map((l) => l.podId)).toEqual([`${job.id}-0-1`]);

    await h.advance(9_999);
    expect(h.store.pod(job.id, 0)?.state).toBe("LAUNCHING");
    await h.advance(1);
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "LOST",
      runId: 1,
      failureCount: 1,
      reason: "REASON_LAUNCH_TIMEOUT",
    });
    expect(h.store.podEvents.filter((e) => e.jobId === job.id).map((e) => e.actualState)).toContain("LOST");
    expect(h.fleet.launches).toEqual([]);

    // The restart waits out its backoff (one failure: the base delay), then launches a new run.
    await h.advance(1_999);
    expect(h.store.pod(job.id, 0)?.runId).toBe(1);
    await h.advance(1);
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "LAUNCHING",
      runId: 2,
      prevRunId: 1,
      failureCount: 1,
    });
    expect(h.fleet.launches.map((l) => l.podId)).toEqual([`${job.id}-0-2`]);
    await runLaunched(h);
    expect(h.store.pod(job.id, 0)?.state).toBe("RUNNING");
  });

  it("in the engine: a run its agent confirms after the launch timed out is killed, not left running unseen", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await h.engine.createJob(newJobInput(1));
    await h.engine.idle();
    const [launched] = h.fleet.launches.splice(0);
    await h.advance(10_000);
    expect(h.store.pod(job.id, 0)?.state).toBe("LOST");
    // The agent was only slow: the run it started is one the engine gave up on.
    h.fleet.report(
      RecordingFleet.pod(launched!.podId, "RUNNING", h.clock.now(), { hostname: launched!.hostname }),
    );
    await h.engine.idle();
    expect(h.fleet.kills).toEqual([{ podId: launched!.podId, gracePeriodMs: 0 }]);
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LOST", runId: 1 });
  });
});
