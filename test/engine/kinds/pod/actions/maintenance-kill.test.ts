import { describe, expect, it } from "vitest";
import { maintenanceKill } from "../../../../../src/engine/kinds/pod/actions/maintenance-kill.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { runLaunched, runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { hostSpec, RecordingFleet } from "../../../support/recording-fleet.js";

describe("maintenanceKill", () => {
  it("kills a run on a draining host for maintenance, keeping its goal", () => {
    const step = maintenanceKill(
      podContext(
        { state: "RUNNING", host: "h1" },
        { template: { killGracePeriodMs: 500 }, timings: { killTimeoutMs: 1_500 } },
      ),
    );
    expect(step.pod).toMatchObject({
      state: "KILLING",
      goal: "RUNNING",
      host: "h1",
      terminationReason: "KILLED_HOST_MAINTENANCE",
      message: "killing for maintenance of host h1",
      updatedAt: NOW,
    });
    expect(step).toMatchObject({ event: true, kill: true, recheckAt: NOW + 2_000 });
  });

  it("in the engine: the run moves to a host that is UP at once, no failure counted, and the host goes DOWN", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a"), hostSpec("b")] });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    const from = h.store.pod(job.id, 0)!.host!;
    const to = from === "a" ? "b" : "a";
    await h.engine.startMaintenance([from]);
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "KILLING",
      terminationReason: "KILLED_HOST_MAINTENANCE",
    });
    expect(h.store.hosts.get(from)?.state).toBe("DRAINING");

    h.fleet.report(RecordingFleet.pod(`${job.id}-0-1`, "KILLED", h.clock.now(), { hostname: from }));
    await h.engine.idle();
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LAUNCHING", runId: 2, host: to, failureCount: 0 });
    expect(h.store.hosts.get(from)?.state).toBe("DOWN");
    expect(h.fleet.takenDown).toEqual([from]);
    await runLaunched(h);
    expect(h.store.pod(job.id, 0)?.state).toBe("RUNNING");
  });
});
