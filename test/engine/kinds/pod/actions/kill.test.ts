import { describe, expect, it } from "vitest";
import { kill } from "../../../../../src/engine/kinds/pod/actions/kill.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

describe("kill", () => {
  it("asks the agent to kill a run whose goal is no longer RUNNING, and checks on it after grace and timeout", () => {
    const step = kill(
      podContext(
        { state: "RUNNING", goal: "KILLED", host: "h0" },
        { template: { killGracePeriodMs: 3_000 }, timings: { killTimeoutMs: 7_000 } },
      ),
    );
    expect(step.pod).toMatchObject({
      state: "KILLING",
      goal: "KILLED",
      host: "h0",
      terminationReason: "KILLED_ON_REQUEST",
      message: "killing on request",
      updatedAt: NOW,
    });
    expect(step).toMatchObject({ event: true, kill: true, recheckAt: NOW + 10_000 });
  });

  it("in the engine: StopPod commits KILLING first, then tells the fleet, and the run ends without a failure", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await runningJob(h, 2, {
      templates: { default: podTemplate({ killGracePeriodMs: 3_000 }), instances: {} },
    });
    const commit = h.store.hold();
    const stopped = h.engine.podCommand(job.id, 1, "stop");
    await commit.reached;
    expect(h.fleet.kills).toEqual([]);
    commit.release();
    await stopped;
    expect(h.store.pod(job.id, 1)).toMatchObject({
      state: "KILLING",
      goal: "KILLED",
      terminationReason: "KILLED_ON_REQUEST",
    });
    expect(h.fleet.kills).toEqual([{ podId: `${job.id}-1-1`, gracePeriodMs: 3_000 }]);

    h.fleet.report(RecordingFleet.pod(`${job.id}-1-1`, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.pod(job.id, 1)).toMatchObject({ state: "KILLED", runId: 1, failureCount: 0 });
    // Its sibling runs on; the stopped one stays down.
    await h.advance(60_000);
    expect(h.store.pod(job.id, 0)?.state).toBe("RUNNING");
    expect(h.store.pod(job.id, 1)).toMatchObject({ state: "KILLED", runId: 1 });
    expect(h.fleet.launches).toEqual([]);
  });
});
