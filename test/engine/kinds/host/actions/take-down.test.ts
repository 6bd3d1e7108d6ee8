import { describe, expect, it } from "vitest";
import { takeDown } from "../../../../../src/engine/kinds/host/actions/take-down.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { hostContext } from "../../../support/host-context.js";
import { hostSpec } from "../../../support/recording-fleet.js";

describe("takeDown", () => {
  it("takes a drained host DOWN and out of the fleet", () => {
    expect(takeDown(hostContext("DRAINED", "DOWN"))).toMatchObject({
      host: { state: "DOWN" },
      takeDown: true,
    });
  });

  it("sends it back to DRAINING if a run turned up there meanwhile", () => {
    const step = takeDown(hostContext("DRAINED", "DOWN", { runs: 1 }));
    expect(step).toEqual({ host: expect.objectContaining({ state: "DRAINING" }), reviewDrains: true });
  });

  it("in the engine: the fleet takes the host down only once DOWN is committed", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a")] });
    const commit = h.store.hold();
    const maintenance = h.engine.startMaintenance(["a"]);
    await commit.reached;
    expect(h.fleet.takenDown).toEqual([]);
    commit.release();
    await maintenance;
    expect(h.store.hosts.get("a")?.state).toBe("DOWN");
    expect(h.fleet.takenDown).toEqual(["a"]);
    expect(h.engine.capacity().cpu).toBe(0);
  });
});
