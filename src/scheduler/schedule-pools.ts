import { max, type Resources, subtract, ZERO } from "../domain/resources.js";
import { admit, type PendingPod } from "./admission.js";
import { computeEntitlements, type PoolEntitlement } from "./entitlement.js";
import type { PoolPod } from "./pool-pod.js";
import type { PoolRecord } from "./pool-record.js";
import { buildPoolTree } from "./pool-tree.js";
import { type PoolUsage, poolUsage } from "./pool-usage.js";
import { type Preemption, selectPreemptions } from "./preemption.js";

export interface PoolSnapshot {
  readonly pools: readonly PoolRecord[];
  /** The fleet's UP capacity (see `fleetCapacity`). */
  readonly capacity: Resources;
  /**
   * The fleet's revocable capacity; only cpu is used. Defaults to the capacity the placed
   * regular pods leave idle.
   */
  readonly slackCapacity?: Resources | undefined;
  /** Pods holding resources (on a host). */
  readonly placed: readonly PoolPod[];
  /** Pods waiting to be admitted. */
  readonly pending: readonly PoolPod[];
}

export interface PoolReport extends PoolUsage, PoolEntitlement {}

export interface PoolDecision {
  /** Demand, allocation and entitlement of every pool (children included), root too. */
  readonly pools: ReadonlyMap<string, PoolReport>;
  /** Pods to hand to placement, in PRIORITY_FIFO order. */
  readonly admitted: readonly PoolPod[];
  readonly pending: readonly PendingPod[];
  /** Pods the engine should preempt. */
  readonly preemptions: readonly Preemption[];
}

/** One pool-side scheduling round: tree, usage, entitlement, admission and preemption. */
export const schedulePools = (s: PoolSnapshot): PoolDecision => {
  const tree = buildPoolTree(s.pools);
  const usage = poolUsage(tree, s.placed, s.pending);
  const root = usage.get(tree.rootId)!;
  const slack = s.slackCapacity ?? max(ZERO, subtract(s.capacity, root.allocation));
  const entitlements = computeEntitlements(tree, usage, s.capacity, slack);
  const { admitted, pending } = admit(tree, entitlements, s.placed, s.pending);
  const preemptions = selectPreemptions(tree, entitlements, s.placed, s.pending);
  const pools = new Map<string, PoolReport>();
  for (const id of tree.topDown) pools.set(id, { ...usage.get(id)!, ...entitlements.get(id)! });
  return { pools, admitted, pending, preemptions };
};
