import { describe, expect, it } from "vitest";
import { type Resources, resources } from "../../src/domain/resources.js";
import type { PoolEntitlement } from "../../src/scheduler/entitlement.js";
import type { PoolPod } from "../../src/scheduler/pool-pod.js";
import { buildPoolTree } from "../../src/scheduler/pool-tree.js";
import { selectPreemptions } from "../../src/scheduler/preemption.js";
import { cpuPool, pod } from "./pool-fixtures.js";

const tree = buildPoolTree([cpuPool("A", 0), cpuPool("B", 0)]);

const ent = (e: Record<string, Partial<Resources> | [Partial<Resources>, Partial<Resources>]>) =>
  new Map<string, PoolEntitlement>(
    Object.entries(e).map(([id, x]) => {
      const [regular, slack] = Array.isArray(x) ? x : [x, {}];
      return [id, { entitlement: resources(regular), slackEntitlement: resources(slack) }];
    }),
  );

const victims = (e: Map<string, PoolEntitlement>, placed: PoolPod[], pending: PoolPod[]) =>
  selectPreemptions(tree, e, placed, pending).map((p) => p.podId);

describe("selectPreemptions", () => {
  // A is entitled to 42.5 cpu but holds 60; B is entitled to 57.5, holds 20 and wants 40 more.
  const entitlements = ent({ A: { cpu: 42.5 }, B: { cpu: 57.5 } });
  const aPods = [
    pod("a-np", "A", 20, { preemptible: false, priority: 0, startedAt: 300 }),
    pod("a-low-old", "A", 10, { priority: 1, startedAt: 100 }),
    pod("a-low-new", "A", 10, { priority: 1, startedAt: 200 }),
    pod("a-high", "A", 20, { priority: 9, startedAt: 400 }),
  ];
  const bPlaced = [pod("b1", "B", 20)];
  const bPending = [pod("b2", "B", 40)];

  it("takes lower priority first, then the most recently started, only until the pool is back to its entitlement", () => {
    // Excess 60 − 42.5 = 17.5: a-low-new (10) leaves 7.5, a-low-old (10) ends it. a-np is never chosen,
    // a-high is not needed.
    expect(victims(entitlements, [...aPods, ...bPlaced], bPending)).toEqual(["a-low-new", "a-low-old"]);
  });

  it("explains each preemption", () => {
    const [first] = selectPreemptions(tree, entitlements, [...aPods, ...bPlaced], bPending);
    expect(first).toEqual({
      podId: "a-low-new",
      poolId: "A",
      reason: "pool A over its entitlement in cpu by 17.5 while B starved",
    });
  });

  it("does nothing while no other pool is starved", () => {
    // B has no pending demand: A may keep running over its entitlement.
    expect(victims(entitlements, [...aPods, ...bPlaced], [])).toEqual([]);
    // B wants more but already holds its entitlement: not starved.
    expect(victims(ent({ A: { cpu: 42.5 }, B: { cpu: 20 } }), [...aPods, ...bPlaced], bPending)).toEqual([]);
  });

  it("never preempts non-preemptible pods, even when the excess remains", () => {
    // Only a-np (20) runs in A, entitlement 5: nothing may go.
    expect(victims(entitlements, [pod("np", "A", 20, { preemptible: false })], bPending)).toEqual([]);
  });

  it("takes revocable pods first", () => {
    // A over in memory by 50 while B is starved of memory; the revocable pod (memory 50) goes
    // before the lower-priority regular pod.
    const e = ent({ A: { cpu: 100, memory: 100 }, B: { cpu: 100, memory: 100 } });
    const placed = [
      pod("a-regular", "A", { cpu: 1, memory: 100 }, { priority: 0, startedAt: 50 }),
      pod("a-revocable", "A", { cpu: 1, memory: 50 }, { priority: 5, revocable: true, startedAt: 10 }),
    ];
    expect(victims(e, placed, [pod("b", "B", { memory: 60 })])).toEqual(["a-revocable"]);
  });

  it("skips pods that do not help with the kinds that are short", () => {
    // A is over in cpu (by 4) where B is starved; a memory-only pod does not help.
    const e = ent({ A: { cpu: 10, memory: 1000 }, B: { cpu: 10, memory: 1000 } });
    const placed = [
      pod("a-cpu", "A", { cpu: 14 }, { priority: 5 }),
      pod("a-mem", "A", { memory: 10 }, { priority: 0 }),
    ];
    expect(victims(e, placed, [pod("b", "B", 5)])).toEqual(["a-cpu"]);
  });

  it("brings revocable pods back within slack entitlement when another pool is starved of slack", () => {
    // Slack cpu: A entitled to 2, holds 6; B entitled to 6, holds 0, wants 3.
    const e = ent({ A: [{}, { cpu: 2 }], B: [{}, { cpu: 6 }] });
    const placed = [
      pod("r-old", "A", 3, { revocable: true, startedAt: 1 }),
      pod("r-new", "A", 3, { revocable: true, startedAt: 2 }),
    ];
    expect(victims(e, placed, [pod("b", "B", 3, { revocable: true })])).toEqual(["r-new", "r-old"]);
  });
});
