import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EPSILON, RESOURCE_KINDS, resources } from "../../src/domain/resources.js";
import { computeEntitlements } from "../../src/scheduler/entitlement.js";
import type { PoolPod } from "../../src/scheduler/pool-pod.js";
import { type PoolRecord, ROOT_POOL_ID } from "../../src/scheduler/pool-record.js";
import { buildPoolTree, isLeaf } from "../../src/scheduler/pool-tree.js";
import { poolUsage } from "../../src/scheduler/pool-usage.js";

const TOL = 1e-6;

/** Demands from none through small to far beyond capacity, so pools both idle and contend. */
const amount = (most: number) =>
  fc.oneof(fc.constant(0), fc.integer({ min: 0, max: most / 20 }), fc.integer({ min: 0, max: most }));

/**
 * A random pool tree. Reservations are cut from the parent's (the root's is the capacity), so
 * that capacity always allows the reservations: every level's children reserve at most what
 * their parent reserves.
 */
const world = fc
  .record({
    capacity: fc.record({ cpu: fc.integer({ min: 0, max: 400 }), memory: fc.integer({ min: 0, max: 4000 }) }),
    pools: fc.array(
      fc.record({
        parent: fc.nat(),
        cut: fc.record({
          cpu: fc.double({ min: 0, max: 1, noNaN: true }),
          memory: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        headroom: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
        share: fc.constantFrom(0, 0.5, 1, 2, 3),
        type: fc.constantFrom("ELASTIC" as const, "STATIC" as const),
        demand: fc.record({ cpu: amount(1000), memory: amount(10000) }),
      }),
      { minLength: 1, maxLength: 9 },
    ),
  })
  .map(({ capacity, pools }) => {
    const ids = pools.map((_, i) => `p${i}`);
    const reservedBy = new Map<string, { cpu: number; memory: number }>([[ROOT_POOL_ID, { ...capacity }]]);
    const left = new Map<string, { cpu: number; memory: number }>([[ROOT_POOL_ID, { ...capacity }]]);
    const records: PoolRecord[] = pools.map((p, i) => {
      const parentId = i === 0 || p.parent % (i + 1) === i ? ROOT_POOL_ID : ids[p.parent % i]!;
      const budget = left.get(parentId)!;
      const res = { cpu: budget.cpu * p.cut.cpu * 0.5, memory: budget.memory * p.cut.memory * 0.5 };
      budget.cpu -= res.cpu;
      budget.memory -= res.memory;
      reservedBy.set(ids[i]!, res);
      left.set(ids[i]!, { ...res });
      const kind = (k: "cpu" | "memory") => ({
        reservation: res[k],
        limit:
          p.headroom === undefined
            ? Number.POSITIVE_INFINITY
            : res[k] + p.headroom * (k === "memory" ? 10 : 1),
        share: p.share,
        type: p.type,
      });
      return { id: ids[i]!, parentId, resources: { cpu: kind("cpu"), memory: kind("memory") } };
    });
    const tree = buildPoolTree(records);
    const pending: PoolPod[] = pools.flatMap((p, i) =>
      isLeaf(tree, ids[i]!)
        ? [
            {
              id: `pod-${i}`,
              poolId: ids[i]!,
              resources: resources(p.demand),
              priority: 0,
              seq: i,
              controller: false,
              preemptible: true,
              revocable: false,
            },
          ]
        : [],
    );
    return { records, pending, capacity };
  });

/** The tree and its entitlements for a generated world. */
const solve = ({
  records,
  pending,
  capacity,
}: {
  records: PoolRecord[];
  pending: PoolPod[];
  capacity: object;
}) => {
  const tree = buildPoolTree(records);
  const ent = computeEntitlements(tree, poolUsage(tree, [], pending), resources(capacity), resources({}));
  return { tree, ent };
};

const KINDS = ["cpu", "memory"] as const;

describe("entitlement properties", () => {
  it("children together never get more than their parent (root: the capacity)", () => {
    fc.assert(
      fc.property(world, (w) => {
        const { tree, ent } = solve(w);
        for (const id of tree.topDown) {
          const node = tree.nodes.get(id)!;
          for (const k of RESOURCE_KINDS) {
            const sum = node.children.reduce((s, c) => s + ent.get(c)!.entitlement[k], 0);
            expect(sum).toBeLessThanOrEqual(ent.get(id)!.entitlement[k] + TOL);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never gives a pool more than its limit", () => {
    fc.assert(
      fc.property(world, (w) => {
        const { tree, ent } = solve(w);
        for (const id of tree.topDown) {
          if (id === tree.rootId) continue;
          for (const k of KINDS)
            expect(ent.get(id)!.entitlement[k]).toBeLessThanOrEqual(tree.nodes.get(id)!.limit[k] + TOL);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("always honours a STATIC reservation when capacity allows the reservations", () => {
    fc.assert(
      fc.property(world, (w) => {
        const { tree, ent } = solve(w);
        for (const id of tree.topDown) {
          const node = tree.nodes.get(id)!;
          for (const k of KINDS) {
            if (id !== tree.rootId && node.spec[k].type === "STATIC") {
              expect(ent.get(id)!.entitlement[k]).toBeGreaterThanOrEqual(node.reservation[k] - TOL);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("hands out the whole parent entitlement when no limit stops it and some child has a share", () => {
    fc.assert(
      fc.property(world, (w) => {
        const { tree, ent } = solve(w);
        for (const id of tree.topDown) {
          const kids = tree.nodes.get(id)!.children.map((c) => tree.nodes.get(c)!);
          if (kids.length === 0) continue;
          for (const k of KINDS) {
            const open = kids.some((c) => c.limit[k] === Number.POSITIVE_INFINITY && c.spec[k].share > 0);
            if (!open) continue;
            const sum = kids.reduce((s, c) => s + ent.get(c.id)!.entitlement[k], 0);
            expect(sum).toBeGreaterThanOrEqual(ent.get(id)!.entitlement[k] - TOL - EPSILON * kids.length);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
