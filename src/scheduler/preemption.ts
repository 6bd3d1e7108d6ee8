import { EPSILON, RESOURCE_KINDS } from "../domain/resources.js";
import type { PoolEntitlement } from "./entitlement.js";
import { formatAmount } from "./format.js";
import { type PoolPod, regularPart, slackPart } from "./pool-pod.js";
import { isLeaf, type PoolTree } from "./pool-tree.js";

/** A quantity a pool can run over: each regular kind, and slack cpu for revocable pods. */
interface Dimension {
  readonly name: string;
  readonly entitled: (e: PoolEntitlement) => number;
  readonly of: (p: PoolPod) => number;
}

export const PREEMPTION_DIMENSIONS: readonly Dimension[] = [
  ...RESOURCE_KINDS.map((k) => ({
    name: k,
    entitled: (e: PoolEntitlement) => e.entitlement[k],
    of: (p: PoolPod) => regularPart(p)[k],
  })),
  { name: "slack cpu", entitled: (e) => e.slackEntitlement.cpu, of: (p) => slackPart(p).cpu },
];

export interface Preemption {
  readonly podId: string;
  readonly poolId: string;
  readonly reason: string;
}

/**
 * Victim order within a pool: revocable pods first, then lower priority, then the most recently
 * started, then by id.
 */
export const victimOrder = (a: PoolPod, b: PoolPod): number =>
  Number(b.revocable) - Number(a.revocable) ||
  a.priority - b.priority ||
  (b.startedAt ?? 0) - (a.startedAt ?? 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const sumBy = (pods: readonly PoolPod[], f: (p: PoolPod) => number) => pods.reduce((s, p) => s + f(p), 0);

const groupByPool = (pods: readonly PoolPod[]) => {
  const m = new Map<string, PoolPod[]>();
  for (const p of pods) {
    const list = m.get(p.poolId);
    if (list) list.push(p);
    else m.set(p.poolId, [p]);
  }
  return m;
};

/**
 * Pods to preempt so that every leaf pool running over its entitlement, in a dimension where
 * some other pool is starved (it has unmet demand and holds less than its entitlement), comes
 * back within its entitlement. Non-preemptible pods are never chosen; only as many pods are
 * chosen as the excess needs.
 */
export const selectPreemptions = (
  tree: PoolTree,
  entitlements: ReadonlyMap<string, PoolEntitlement>,
  placed: readonly PoolPod[],
  pending: readonly PoolPod[],
): Preemption[] => {
  const placedBy = groupByPool(placed);
  const pendingBy = groupByPool(pending);
  const leaves = tree.topDown.filter((id) => isLeaf(tree, id) && entitlements.has(id));
  const alloc = (pool: string, d: Dimension) => sumBy(placedBy.get(pool) ?? [], d.of);

  const starvedIn = new Map<Dimension, string[]>();
  for (const d of PREEMPTION_DIMENSIONS) {
    const starved = leaves.filter((pool) => {
      const held = alloc(pool, d);
      const unmet = sumBy(pendingBy.get(pool) ?? [], d.of);
      return unmet > EPSILON && held + EPSILON < d.entitled(entitlements.get(pool)!);
    });
    if (starved.length > 0) starvedIn.set(d, starved);
  }
  if (starvedIn.size === 0) return [];

  const out: Preemption[] = [];
  for (const pool of leaves) {
    const e = entitlements.get(pool)!;
    const excess = new Map<Dimension, number>();
    for (const d of starvedIn.keys()) {
      const over = alloc(pool, d) - d.entitled(e);
      if (over > EPSILON) excess.set(d, over);
    }
    if (excess.size === 0) continue;
    const reason = `pool ${pool} over its entitlement in ${[...excess]
      .map(([d, x]) => `${d.name} by ${formatAmount(x)}`)
      .join(
        ", ",
      )} while ${[...new Set([...excess.keys()].flatMap((d) => starvedIn.get(d)!))].join(", ")} starved`;
    const victims = (placedBy.get(pool) ?? []).filter((p) => p.preemptible || p.revocable).sort(victimOrder);
    for (const p of victims) {
      const helps = [...excess].some(([d, x]) => x > EPSILON && d.of(p) > EPSILON);
      if (!helps) continue;
      out.push({ podId: p.id, poolId: pool, reason });
      for (const [d, x] of excess) excess.set(d, x - d.of(p));
      if ([...excess.values()].every((x) => x <= EPSILON)) break;
    }
  }
  return out;
};
