import {
  add,
  EPSILON,
  RESOURCE_KINDS,
  type ResourceKind,
  type Resources,
  scale,
  ZERO,
} from "../domain/resources.js";
import type { PoolEntitlement } from "./entitlement.js";
import { formatAmount } from "./format.js";
import { type AdmissionClass, admissionClass, type PoolPod, priorityFifo, regularPart } from "./pool-pod.js";
import { isLeaf, type PoolNode, type PoolTree } from "./pool-tree.js";

/** The running totals admission keeps per leaf pool, one per ceiling it checks. */
export const ADMISSION_ACCOUNTS = ["allocation", "nonPreemptible", "controller", "revocable"] as const;
export type AdmissionAccount = (typeof ADMISSION_ACCOUNTS)[number];

/** What each account counts of a pod. */
const ACCOUNT_AMOUNT = {
  allocation: regularPart,
  nonPreemptible: (p) => (p.preemptible || p.revocable ? ZERO : p.resources),
  controller: (p) => (p.controller ? p.resources : ZERO),
  revocable: (p) => (p.revocable ? p.resources : ZERO),
} as const satisfies Record<AdmissionAccount, (p: PoolPod) => Resources>;

/** The ceilings of a leaf pool. */
export interface PoolCeilings {
  readonly entitlement: Resources;
  readonly slackEntitlement: Resources;
  readonly reservation: Resources;
  /** `controller_limit` percent of the reservation; unlimited when the pool sets none. */
  readonly controllerLimit: Resources;
}

interface AdmissionRule {
  readonly name: string;
  readonly account: AdmissionAccount;
  readonly applies: (p: PoolPod) => boolean;
  readonly ceiling: (c: PoolCeilings) => Resources;
}

const isPreemptible = (p: PoolPod) => p.preemptible || p.revocable;

/**
 * What a pod must fit under to be admitted: non-preemptible pods only into the reservation,
 * preemptible ones into the entitlement, controllers also under the controller limit, revocable
 * ones under the slack entitlement (and their memory/disk/gpu under the regular entitlement).
 */
export const ADMISSION_RULES: readonly AdmissionRule[] = [
  {
    name: "reservation",
    account: "nonPreemptible",
    applies: (p) => !isPreemptible(p),
    ceiling: (c) => c.reservation,
  },
  { name: "entitlement", account: "allocation", applies: isPreemptible, ceiling: (c) => c.entitlement },
  {
    name: "controller limit",
    account: "controller",
    applies: (p) => p.controller,
    ceiling: (c) => c.controllerLimit,
  },
  {
    name: "slack entitlement",
    account: "revocable",
    applies: (p) => p.revocable,
    ceiling: (c) => c.slackEntitlement,
  },
];

const UNLIMITED: Resources = scale({ cpu: 1, memory: 1, disk: 1, gpu: 1 }, Number.POSITIVE_INFINITY);

export const poolCeilings = (node: PoolNode, e: PoolEntitlement): PoolCeilings => ({
  entitlement: e.entitlement,
  slackEntitlement: e.slackEntitlement,
  reservation: node.reservation,
  controllerLimit:
    node.controllerLimitPercent === undefined
      ? UNLIMITED
      : scale(node.reservation, node.controllerLimitPercent / 100),
});

export interface PendingPod {
  readonly pod: PoolPod;
  readonly reason: string;
}

export interface AdmissionResult {
  /** Admitted pods, all pools together, in PRIORITY_FIFO order. */
  readonly admitted: readonly PoolPod[];
  /** Pods left waiting, with why. */
  readonly pending: readonly PendingPod[];
}

type Accounts = Record<AdmissionAccount, Resources>;

const emptyAccounts = (): Accounts => ({
  allocation: ZERO,
  nonPreemptible: ZERO,
  controller: ZERO,
  revocable: ZERO,
});

const charge = (acc: Accounts, p: PoolPod): void => {
  for (const a of ADMISSION_ACCOUNTS) acc[a] = add(acc[a], ACCOUNT_AMOUNT[a](p));
};

/** The first rule and kind the pod would break, as a reason; undefined when it fits. */
const breach = (acc: Accounts, ceilings: PoolCeilings, p: PoolPod): string | undefined => {
  for (const rule of ADMISSION_RULES) {
    if (!rule.applies(p)) continue;
    const need = ACCOUNT_AMOUNT[rule.account](p);
    const used = acc[rule.account];
    const ceiling = rule.ceiling(ceilings);
    const kind = RESOURCE_KINDS.find((k: ResourceKind) => used[k] + need[k] > ceiling[k] + EPSILON);
    if (kind !== undefined) {
      const left = Math.max(0, ceiling[kind] - used[kind]);
      return `${rule.name}: needs ${kind} ${formatAmount(need[kind])}, ${formatAmount(left)} left`;
    }
  }
  return undefined;
};

/**
 * Admission per leaf pool in PRIORITY_FIFO order. Placed pods are charged first; pending pods
 * are then admitted while they fit. Each admission class is its own queue: once a pod of a class
 * does not fit, the later pods of that class in the pool wait behind it.
 */
export const admit = (
  tree: PoolTree,
  entitlements: ReadonlyMap<string, PoolEntitlement>,
  placed: readonly PoolPod[],
  pending: readonly PoolPod[],
): AdmissionResult => {
  const accounts = new Map<string, Accounts>();
  const accountsOf = (poolId: string) => {
    let a = accounts.get(poolId);
    if (a === undefined) {
      a = emptyAccounts();
      accounts.set(poolId, a);
    }
    return a;
  };
  for (const p of placed) charge(accountsOf(p.poolId), p);

  const admitted: PoolPod[] = [];
  const waiting: PendingPod[] = [];
  const blockedBy = new Map<string, string>();
  for (const p of [...pending].sort(priorityFifo)) {
    const node = tree.nodes.get(p.poolId);
    const e = entitlements.get(p.poolId);
    if (node === undefined || e === undefined) {
      waiting.push({ pod: p, reason: `pool ${p.poolId} does not exist` });
      continue;
    }
    if (!isLeaf(tree, p.poolId)) {
      waiting.push({ pod: p, reason: `pool ${p.poolId} is not a leaf pool` });
      continue;
    }
    const cls: AdmissionClass = admissionClass(p);
    const queueKey = `${p.poolId}\u0000${cls}`;
    const blocker = blockedBy.get(queueKey);
    if (blocker !== undefined) {
      waiting.push({ pod: p, reason: `queued behind ${blocker} (${cls})` });
      continue;
    }
    const acc = accountsOf(p.poolId);
    const why = breach(acc, poolCeilings(node, e), p);
    if (why === undefined) {
      charge(acc, p);
      admitted.push(p);
    } else {
      blockedBy.set(queueKey, p.id);
      waiting.push({ pod: p, reason: why });
    }
  }
  return { admitted, pending: waiting };
};
