import { describe, expect, it } from "vitest";
import { resources } from "../../src/domain/resources.js";
import { fleetCapacity } from "../../src/scheduler/fleet-capacity.js";
import { schedulePools } from "../../src/scheduler/schedule-pools.js";
import { cpuPool, pod } from "./pool-fixtures.js";

describe("schedulePools", () => {
  const pools = [cpuPool("A", 30, { share: 1 }), cpuPool("B", 20, { share: 3 })];

  it("reports usage and entitlement per pool, admits within entitlement and preempts the pool over it", () => {
    // Fleet: two UP hosts of 50 cpu (a DOWN one does not count) → 100 cpu.
    const capacity = fleetCapacity([
      { state: "UP", capacity: resources({ cpu: 50 }) },
      { state: "UP", capacity: resources({ cpu: 50 }) },
      { state: "DOWN", capacity: resources({ cpu: 50 }) },
    ]);
    // A: 60 placed (demand 60). B: 20 placed, 60 pending (demand 80).
    // Entitlement as worked by hand: A 42.5, B 57.5.
    // B may admit up to 57.5 − 20 = 37.5: b-2 (30) fits, b-3 (30) does not.
    // A holds 17.5 over its entitlement while B is starved → a-2 (10, newest) then a-1 (10).
    const d = schedulePools({
      pools,
      capacity,
      placed: [
        pod("a-1", "A", 10, { startedAt: 1 }),
        pod("a-2", "A", 10, { startedAt: 2 }),
        pod("a-np", "A", 40, { preemptible: false, startedAt: 0 }),
        pod("b-1", "B", 20),
      ],
      pending: [pod("b-2", "B", 30), pod("b-3", "B", 30)],
    });
    expect(d.pools.get("root")!.entitlement.cpu).toBe(100);
    expect(d.pools.get("A")).toMatchObject({
      demand: resources({ cpu: 60 }),
      allocation: resources({ cpu: 60 }),
      entitlement: resources({ cpu: 42.5 }),
    });
    expect(d.pools.get("B")).toMatchObject({
      demand: resources({ cpu: 80 }),
      allocation: resources({ cpu: 20 }),
      entitlement: resources({ cpu: 57.5 }),
    });
    expect(d.admitted.map((p) => p.id)).toEqual(["b-2"]);
    expect(d.pending.map((p) => [p.pod.id, p.reason])).toEqual([
      ["b-3", "entitlement: needs cpu 30, 7.5 left"],
    ]);
    expect(d.preemptions.map((p) => p.podId)).toEqual(["a-2", "a-1"]);
  });

  it("lends idle capacity to revocable pods as slack by default", () => {
    // 100 cpu, 70 held by regular pods → 30 slack cpu; A wants 10 revocable, B 40 → pass 2 by
    // shares 1:3 of 30: A 7.5, B 22.5 (neither capped).
    const d = schedulePools({
      pools,
      capacity: resources({ cpu: 100 }),
      placed: [pod("a", "A", 70)],
      pending: [pod("ra", "A", 10, { revocable: true }), pod("rb", "B", 40, { revocable: true })],
    });
    expect(d.pools.get("A")!.slackEntitlement.cpu).toBe(7.5);
    expect(d.pools.get("B")!.slackEntitlement.cpu).toBe(22.5);
    expect(d.admitted).toEqual([]);
    expect(d.pending.map((p) => p.reason)).toEqual([
      "slack entitlement: needs cpu 10, 7.5 left",
      "slack entitlement: needs cpu 40, 22.5 left",
    ]);
  });
});
