import { describe, expect, it } from "vitest";
import { bringUp } from "../../../../../src/engine/kinds/host/actions/bring-up.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { hostContext } from "../../../support/host-context.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { hostSpec, RecordingFleet } from "../../../support/recording-fleet.js";

describe("bringUp", () => {
  it("brings a DOWN host back UP and into the fleet", () => {
    expect(bringUp(hostContext("DOWN", "UP"))).toEqual({
      host: { ...hostContext("DOWN", "UP").host, state: "UP", updatedAt: 500 },
      bringUp: true,
    });
  });

  it("in the engine: a pod waiting for a host is placed on it as soon as it is back", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a")], timings: { scheduleIntervalMs: 3_600_000 } });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    await h.engine.startMaintenance(["a"]);
    h.fleet.report(RecordingFleet.pod(`${job.id}-0-1`, "KILLED", h.clock.now(), { hostname: "a" }));
    await h.engine.idle();
    expect(h.store.hosts.get("a")?.state).toBe("DOWN");
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "PENDING", runId: 2 });

    await h.engine.completeMaintenance(["a"]);
    expect(h.fleet.broughtUp).toEqual(["a"]);
    await h.engine.idle();
    expect(h.store.hosts.get("a")).toMatchObject({ state: "UP", goal: "UP" });
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LAUNCHING", runId: 2, host: "a" });
  });
});
