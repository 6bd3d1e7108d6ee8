import { describe, expect, it } from "vitest";
import { type Resources, resources } from "../../src/domain/resources.js";
import { admit } from "../../src/scheduler/admission.js";
import type { PoolEntitlement } from "../../src/scheduler/entitlement.js";
import type { PoolPod } from "../../src/scheduler/pool-pod.js";
import type { PoolRecord } from "../../src/scheduler/pool-record.js";
import { buildPoolTree } from "../../src/scheduler/pool-tree.js";
import { cpuPool, pod, spec } from "./pool-fixtures.js";

/** Admission against entitlements given by hand (cpu unless said). */
const run = (
  pools: PoolRecord[],
  ent: Record<string, Partial<Resources> | { entitlement: Partial<Resources>; slack: Partial<Resources> }>,
  pending: PoolPod[],
  placed: PoolPod[] = [],
) => {
  const tree = buildPoolTree(pools);
  const entitlements = new Map<string, PoolEntitlement>(
    Object.entries(ent).map(([id, e]) => {
      const both = "entitlement" in e ? e : { entitlement: e, slack: {} };
      return [id, { entitlement: resources(both.entitlement), slackEntitlement: resources(both.slack) }];
    }),
  );
  const r = admit(tree, entitlements, placed, pending);
  return {
    admitted: r.admitted.map((p) => p.id),
    pending: Object.fromEntries(r.pending.map((p) => [p.pod.id, p.reason])),
  };
};

describe("admit", () => {
  it("admits in PRIORITY_FIFO order: higher priority first, FIFO within a priority", () => {
    // Entitlement 10: hi-1 (4) and hi-2 (4) fit, 8 used; lo (4) would make 12.
    const r = run([cpuPool("A", 0)], { A: { cpu: 10 } }, [
      pod("lo", "A", 4, { priority: 1 }),
      pod("hi-1", "A", 4, { priority: 5 }),
      pod("hi-2", "A", 4, { priority: 5 }),
    ]);
    expect(r.admitted).toEqual(["hi-1", "hi-2"]);
    expect(r.pending).toEqual({ lo: "entitlement: needs cpu 4, 2 left" });
  });

  it("charges placed pods first", () => {
    // Entitlement 10, 7 placed: a 3-cpu pod fits exactly, the next does not.
    const r = run(
      [cpuPool("A", 0)],
      { A: { cpu: 10 } },
      [pod("p1", "A", 3), pod("p2", "A", 1)],
      [pod("old", "A", 7)],
    );
    expect(r.admitted).toEqual(["p1"]);
    expect(r.pending.p2).toBe("entitlement: needs cpu 1, 0 left");
  });

  it("holds later pods of a class behind the first that does not fit, but not other classes", () => {
    // Entitlement 10: big (8) fits; big-2 (8) does not; small (1) would, but waits behind big-2.
    // The non-preemptible pod has its own queue and fits in the reservation (5).
    const r = run([cpuPool("A", 5)], { A: { cpu: 10 } }, [
      pod("big", "A", 8),
      pod("big-2", "A", 8),
      pod("small", "A", 1),
      pod("np", "A", 2, { preemptible: false }),
    ]);
    expect(r.admitted).toEqual(["big", "np"]);
    expect(r.pending).toEqual({
      "big-2": "entitlement: needs cpu 8, 2 left",
      small: "queued behind big-2 (preemptible)",
    });
  });

  it("lets non-preemptible pods use only the reservation, even when the entitlement is larger", () => {
    // Reservation 4, entitlement 20: np-1 (3) fits in 4, np-2 (3) would make 6 > 4.
    // A preemptible pod still gets the entitlement beyond: 3 + 10 ≤ 20.
    const r = run([cpuPool("A", 4)], { A: { cpu: 20 } }, [
      pod("np-1", "A", 3, { preemptible: false }),
      pod("np-2", "A", 3, { preemptible: false }),
      pod("pre", "A", 10),
    ]);
    expect(r.admitted).toEqual(["np-1", "pre"]);
    expect(r.pending["np-2"]).toBe("reservation: needs cpu 3, 1 left");
  });

  it("caps controller pods at controller_limit percent of the reservation", () => {
    // Reservation 10 cpu, controller limit 20% → controllers may hold 2 cpu: 1.5 fits, 1 more does not.
    const pools: PoolRecord[] = [{ id: "A", resources: { cpu: spec(10) }, controllerLimitPercent: 20 }];
    const r = run(pools, { A: { cpu: 100 } }, [
      pod("c1", "A", 1.5, { controller: true }),
      pod("c2", "A", 1, { controller: true }),
      pod("worker", "A", 5),
    ]);
    expect(r.admitted).toEqual(["c1", "worker"]);
    expect(r.pending.c2).toBe("controller limit: needs cpu 1, 0.5 left");
  });

  it("admits revocable pods against slack entitlement, their memory also against the regular one", () => {
    // Slack entitlement: cpu 4, memory 100 (the slack limit); regular memory entitlement 1000.
    // r1 (cpu 2, mem 60) fits; r2 (cpu 1, mem 60) would bring revocable memory to 120 > 100.
    const r = run(
      [cpuPool("A", 0)],
      { A: { entitlement: { cpu: 0, memory: 1000 }, slack: { cpu: 4, memory: 100 } } },
      [
        pod("r1", "A", { cpu: 2, memory: 60 }, { revocable: true }),
        pod("r2", "A", { cpu: 1, memory: 60 }, { revocable: true }),
      ],
    );
    expect(r.admitted).toEqual(["r1"]);
    expect(r.pending.r2).toBe("slack entitlement: needs memory 60, 40 left");
  });

  it("keeps pods of unknown and non-leaf pools pending", () => {
    const r = run([cpuPool("P", 0), cpuPool("C", 0, { parentId: "P" })], { P: { cpu: 10 }, C: { cpu: 10 } }, [
      pod("x", "nope", 1),
      pod("y", "P", 1),
      pod("z", "C", 1),
    ]);
    expect(r.admitted).toEqual(["z"]);
    expect(r.pending).toEqual({ x: "pool nope does not exist", y: "pool P is not a leaf pool" });
  });
});
