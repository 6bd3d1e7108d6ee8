import { describe, expect, it } from "vitest";
import { type Resources, resources, ZERO } from "../../src/domain/resources.js";
import { computeEntitlements, effectiveDemand } from "../../src/scheduler/entitlement.js";
import type { PoolPod } from "../../src/scheduler/pool-pod.js";
import type { PoolRecord } from "../../src/scheduler/pool-record.js";
import { buildPoolTree } from "../../src/scheduler/pool-tree.js";
import { poolUsage } from "../../src/scheduler/pool-usage.js";
import { cpuPool, pod, spec } from "./pool-fixtures.js";

const entitle = (
  pools: PoolRecord[],
  capacity: Resources,
  pending: PoolPod[],
  o: { placed?: PoolPod[]; slack?: Resources } = {},
) => {
  const tree = buildPoolTree(pools);
  const usage = poolUsage(tree, o.placed ?? [], pending);
  return computeEntitlements(tree, usage, capacity, o.slack ?? ZERO);
};
const cpuOf = (m: ReturnType<typeof entitle>, id: string) => m.get(id)!.entitlement.cpu;

describe("computeEntitlements", () => {
  it("A (res 30, share 1) and B (res 20, share 3) with demands 60 and 80 on 100 cpu", () => {
    // Pass 1: A 30, B 20. Pass 2: spare 50 by 1:3 → A +12.5, B +37.5. → A 42.5, B 57.5.
    const m = entitle(
      [cpuPool("A", 30, { share: 1 }), cpuPool("B", 20, { share: 3 })],
      resources({ cpu: 100 }),
      [pod("a", "A", 60), pod("b", "B", 80)],
    );
    expect(cpuOf(m, "root")).toBe(100);
    expect(cpuOf(m, "A")).toBe(42.5);
    expect(cpuOf(m, "B")).toBe(57.5);
  });

  it("counts placed and pending pods alike as demand", () => {
    // Same numbers as above with part of each demand already placed.
    const m = entitle(
      [cpuPool("A", 30, { share: 1 }), cpuPool("B", 20, { share: 3 })],
      resources({ cpu: 100 }),
      [pod("a2", "A", 20), pod("b2", "B", 30)],
      { placed: [pod("a1", "A", 40), pod("b1", "B", 50)] },
    );
    expect([cpuOf(m, "A"), cpuOf(m, "B")]).toEqual([42.5, 57.5]);
  });

  it("divides each level of a nested tree from the parent's entitlement", () => {
    // root 200 cpu: P (res 100) over P1 (res 60, demand 90) and P2 (res 20, demand 10); Q (res 50, demand 150).
    // Root level: P's demand 100, Q's 150. Pass 1: P min(100,100)=100, Q min(150,50)=50; spare 50.
    //   Pass 2: P wants nothing more, Q wants 100 more → Q +50. → P 100, Q 100.
    // P level (100): pass 1: P1 min(90,60)=60, P2 min(10,20)=10; spare 30.
    //   Pass 2: P1 wants 30 more → +30; P2 nothing. → P1 90, P2 10.
    const m = entitle(
      [
        cpuPool("P", 100),
        cpuPool("P1", 60, { parentId: "P" }),
        cpuPool("P2", 20, { parentId: "P" }),
        cpuPool("Q", 50),
      ],
      resources({ cpu: 200 }),
      [pod("p1", "P1", 90), pod("p2", "P2", 10), pod("q", "Q", 150)],
    );
    expect([cpuOf(m, "P"), cpuOf(m, "Q"), cpuOf(m, "P1"), cpuOf(m, "P2")]).toEqual([100, 100, 90, 10]);
  });

  it("keeps a STATIC reservation under an ELASTIC parent that has no demand", () => {
    // root 50: P (ELASTIC, res 50) with child S (STATIC, res 30, no demand); Q (res 0, demand 1000).
    // S's effective demand is its reservation, so P claims 30: pass 1: P min(30,50)=30, Q 0;
    // pass 2: Q +20. P level: S (STATIC) 30.
    const m = entitle(
      [cpuPool("P", 50), cpuPool("S", 30, { type: "STATIC", parentId: "P" }), cpuPool("Q", 0)],
      resources({ cpu: 50 }),
      [pod("q", "Q", 1000)],
    );
    expect([cpuOf(m, "P"), cpuOf(m, "S"), cpuOf(m, "Q")]).toEqual([30, 30, 20]);
  });

  it("works each kind on its own", () => {
    // cpu: 100 with A demand 10, B demand 10, no reservations → pass 2: 10 each; pass 3: 40 each → 50, 50.
    // memory: 1000; A (res 600) demand 800, B (res 100, share 1) demand 500.
    //   Pass 1: A 600, B 100; spare 300. Pass 2: A wants 200, B 400; 150 each, A not capped → 750, 250.
    const pools: PoolRecord[] = [
      { id: "A", resources: { memory: spec(600) } },
      { id: "B", resources: { memory: spec(100) } },
    ];
    const m = entitle(pools, resources({ cpu: 100, memory: 1000 }), [
      pod("a", "A", { cpu: 10, memory: 800 }),
      pod("b", "B", { cpu: 10, memory: 500 }),
    ]);
    expect(m.get("A")!.entitlement).toEqual(resources({ cpu: 50, memory: 750 }));
    expect(m.get("B")!.entitlement).toEqual(resources({ cpu: 50, memory: 250 }));
  });

  it("divides slack cpu over revocable demand and caps revocable memory by slack_limit", () => {
    // Slack 20 cpu; A and B each want 15 revocable cpu, shares 1:1 → pass 2: 10 each.
    // A's slack limit is 10% of its memory reservation 1000 → 100 memory for revocable pods;
    // B has none, so its revocable memory may reach its whole memory entitlement.
    // Regular memory 2000: A (res 1000) and B (res 0) demand 200 each → pass 1: A 200;
    //   pass 2: B 200; pass 3: 1600 by 1:1 → A 1000, B 1000.
    const pools: PoolRecord[] = [
      { id: "A", resources: { cpu: spec(0), memory: spec(1000) }, slackLimitPercent: 10 },
      { id: "B", resources: { cpu: spec(0), memory: spec(0) } },
    ];
    const m = entitle(
      pools,
      resources({ cpu: 100, memory: 2000 }),
      [
        pod("a", "A", { cpu: 15, memory: 200 }, { revocable: true }),
        pod("b", "B", { cpu: 15, memory: 200 }, { revocable: true }),
      ],
      { slack: resources({ cpu: 20 }) },
    );
    expect(m.get("A")!.slackEntitlement).toEqual(resources({ cpu: 10, memory: 100 }));
    expect(m.get("B")!.slackEntitlement).toEqual(resources({ cpu: 10, memory: 1000 }));
    // Revocable cpu is not regular demand: regular cpu 100 goes out in pass 3, 50 each.
    expect(m.get("A")!.entitlement.cpu).toBe(50);
  });
});

describe("effectiveDemand", () => {
  it("sums children and lifts STATIC pools to their reservation", () => {
    const tree = buildPoolTree([
      cpuPool("P", 0),
      cpuPool("S", 30, { type: "STATIC", parentId: "P" }),
      cpuPool("E", 30, { parentId: "P" }),
    ]);
    const usage = poolUsage(tree, [], [pod("s", "S", 10), pod("e", "E", 5)]);
    const d = effectiveDemand(tree, usage);
    // S: max(10, 30) = 30; E: 5; P: 35.
    expect([d.get("S")!.cpu, d.get("E")!.cpu, d.get("P")!.cpu]).toEqual([30, 5, 35]);
  });
});
