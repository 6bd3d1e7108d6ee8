import { describe, expect, it } from "vitest";
import { update } from "../../../../../src/engine/kinds/pod/actions/update.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { outdate, runLaunched, runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

describe("update", () => {
  it("kills a run on an agent whose configuration is outdated, for the update: no failure", () => {
    for (const state of ["LAUNCHING", "LAUNCHED", "STARTING", "RUNNING"] as const) {
      const step = update(
        podContext(
          { state, host: "h0", configVersion: 1, desiredConfigVersion: 2, failureCount: 1 },
          { template: { killGracePeriodMs: 1_000 }, timings: { killTimeoutMs: 4_000 } },
        ),
      );
      expect(step.pod).toMatchObject({
        state: "KILLING",
        goal: "RUNNING",
        configVersion: 1,
        terminationReason: "KILLED_FOR_UPDATE",
        message: "killing to run configuration version 2",
        failureCount: 1,
        updatedAt: NOW,
      });
      expect(step).toMatchObject({ event: true, kill: true, recheckAt: NOW + 5_000 });
    }
  });

  it("in the engine: the outdated run is killed and comes back at once on the desired version", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await runningJob(h, 2);
    await outdate(h, job.id, podTemplate({ containers: [{ name: "c", command: "sleep 200" }] }), [0]);
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "KILLING",
      terminationReason: "KILLED_FOR_UPDATE",
    });
    expect(h.fleet.kills.map((k) => k.podId)).toEqual([`${job.id}-0-1`]);
    expect(h.store.pod(job.id, 1)).toMatchObject({ state: "RUNNING", configVersion: 1 });

    h.fleet.report(RecordingFleet.pod(`${job.id}-0-1`, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.pod(job.id, 0)).toMatchObject({
      state: "LAUNCHING",
      runId: 2,
      configVersion: 2,
      desiredConfigVersion: 2,
      failureCount: 0,
    });
    expect(h.fleet.launches.map((l) => [l.podId, l.containers[0]?.command])).toEqual([
      [`${job.id}-0-2`, "sleep 200"],
    ]);
    await runLaunched(h);
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "RUNNING", configVersion: 2 });
    expect(h.fleet.kills).toHaveLength(1);
  });
});
