import { RESOURCE_KINDS, type ResourceKind, type Resources } from "../domain/resources.js";
import type { PoolTree } from "./pool-tree.js";
import type { PoolUsage } from "./pool-usage.js";
import { type ChildClaim, divideAmongChildren } from "./share-division.js";

/** What a pool is entitled to. */
export interface PoolEntitlement {
  /** Regular (non-revocable) resources. */
  readonly entitlement: Resources;
  /**
   * What revocable pods may use: cpu is the pool's part of the fleet's slack; memory and disk
   * are the regular entitlement capped by `slack_limit` percent of the reservation; gpu is the
   * regular entitlement.
   */
  readonly slackEntitlement: Resources;
}

/** The kinds the slack limit caps for revocable pods; cpu comes from slack instead. */
export const SLACK_LIMITED_KINDS = ["memory", "disk"] as const satisfies readonly ResourceKind[];

const byKind = (f: (k: ResourceKind) => number): Resources =>
  Object.fromEntries(RESOURCE_KINDS.map((k) => [k, f(k)])) as Record<ResourceKind, number>;

/**
 * The demand entitlement works with, per kind: a leaf's own demand, a parent's the sum of its
 * children's; a STATIC pool's never below its reservation, so that an ELASTIC parent claims
 * the STATIC reservations beneath it.
 */
export const effectiveDemand = (
  tree: PoolTree,
  usage: ReadonlyMap<string, PoolUsage>,
): Map<string, Resources> => {
  const out = new Map<string, Resources>();
  for (const id of [...tree.topDown].reverse()) {
    const node = tree.nodes.get(id)!;
    out.set(
      id,
      byKind((k) => {
        const wanted =
          node.children.length === 0
            ? (usage.get(id)?.demand[k] ?? 0)
            : node.children.reduce((s, c) => s + out.get(c)![k], 0);
        return node.spec[k].type === "STATIC" ? Math.max(wanted, node.reservation[k]) : wanted;
      }),
    );
  }
  return out;
};

/**
 * Entitlement of every pool, top-down: the root is entitled to `capacity` (the fleet's UP
 * hosts) and each pool's entitlement is divided among its children kind by kind, in the three
 * passes of `divideAmongChildren`, over the `effectiveDemand` of each pool.
 * Slack cpu (`slackCapacity.cpu`) is divided the same way over revocable demand, with no
 * reservations.
 */
export const computeEntitlements = (
  tree: PoolTree,
  usage: ReadonlyMap<string, PoolUsage>,
  capacity: Resources,
  slackCapacity: Resources,
): Map<string, PoolEntitlement> => {
  const demand = effectiveDemand(tree, usage);
  const out = new Map<string, PoolEntitlement>();
  out.set(tree.rootId, {
    entitlement: capacity,
    slackEntitlement: { ...capacity, cpu: slackCapacity.cpu },
  });
  for (const id of tree.topDown) {
    const node = tree.nodes.get(id)!;
    const parent = out.get(id)!;
    if (node.children.length === 0) continue;
    const kids = node.children.map((c) => tree.nodes.get(c)!);
    const kidDemand = node.children.map((c) => demand.get(c)!);
    const kidSlack = node.children.map((c) => usage.get(c)?.slackDemand.cpu ?? 0);

    const regular = Object.fromEntries(
      RESOURCE_KINDS.map((k) => {
        const claims: ChildClaim[] = kids.map((kid, i) => ({
          ...kid.spec[k],
          reservation: kid.reservation[k],
          demand: kidDemand[i]![k],
        }));
        return [k, divideAmongChildren(parent.entitlement[k], claims)];
      }),
    ) as Record<ResourceKind, number[]>;

    const slackCpu = divideAmongChildren(
      parent.slackEntitlement.cpu,
      kids.map((kid, i) => ({
        ...kid.spec.cpu,
        reservation: 0,
        type: "ELASTIC",
        demand: kidSlack[i]!,
      })),
    );

    kids.forEach((kid, i) => {
      const entitlement = byKind((k) => regular[k][i]!);
      const pct = kid.slackLimitPercent;
      const slackEntitlement = byKind((k) =>
        k === "cpu"
          ? slackCpu[i]!
          : pct !== undefined && (SLACK_LIMITED_KINDS as readonly ResourceKind[]).includes(k)
            ? Math.min(entitlement[k], (pct / 100) * kid.reservation[k])
            : entitlement[k],
      );
      out.set(kid.id, { entitlement, slackEntitlement });
    });
  }
  return out;
};
