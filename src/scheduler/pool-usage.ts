import { add, type Resources, ZERO } from "../domain/resources.js";
import type { PoolPod } from "./pool-pod.js";
import { regularPart, slackPart } from "./pool-pod.js";
import type { PoolTree } from "./pool-tree.js";

/** What a pool (with everything below it) wants and holds. */
export interface PoolUsage {
  /** Regular resources of placed and pending pods. */
  readonly demand: Resources;
  /** Regular resources of placed pods. */
  readonly allocation: Resources;
  /** Slack (revocable cpu) of placed and pending pods. */
  readonly slackDemand: Resources;
  /** Slack of placed pods. */
  readonly slackAllocation: Resources;
}

const EMPTY: PoolUsage = { demand: ZERO, allocation: ZERO, slackDemand: ZERO, slackAllocation: ZERO };

const plus = (a: PoolUsage, b: PoolUsage): PoolUsage => ({
  demand: add(a.demand, b.demand),
  allocation: add(a.allocation, b.allocation),
  slackDemand: add(a.slackDemand, b.slackDemand),
  slackAllocation: add(a.slackAllocation, b.slackAllocation),
});

/**
 * Demand and allocation of every pool in the tree; a pool's figures include its children's.
 * Pods naming a pool that is not in the tree are left out.
 */
export const poolUsage = (
  tree: PoolTree,
  placed: readonly PoolPod[],
  pending: readonly PoolPod[],
): Map<string, PoolUsage> => {
  const own = new Map<string, PoolUsage>();
  const count = (p: PoolPod, isPlaced: boolean) => {
    if (!tree.nodes.has(p.poolId)) return;
    const r = regularPart(p);
    const s = slackPart(p);
    const u: PoolUsage = {
      demand: r,
      allocation: isPlaced ? r : ZERO,
      slackDemand: s,
      slackAllocation: isPlaced ? s : ZERO,
    };
    own.set(p.poolId, plus(own.get(p.poolId) ?? EMPTY, u));
  };
  for (const p of placed) count(p, true);
  for (const p of pending) count(p, false);

  const total = new Map<string, PoolUsage>();
  for (const id of [...tree.topDown].reverse()) {
    const node = tree.nodes.get(id)!;
    const sum = node.children.reduce((acc, c) => plus(acc, total.get(c) ?? EMPTY), own.get(id) ?? EMPTY);
    total.set(id, sum);
  }
  return total;
};
