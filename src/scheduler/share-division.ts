import { EPSILON } from "../domain/resources.js";
import type { ReservationType } from "./pool-record.js";

/** Pure arithmetic of entitlement: how one amount of one kind is divided among sibling pools. */

export interface ShareClaim {
  readonly share: number;
  /** The most this claim may still receive (may be Infinity). */
  readonly cap: number;
}

/**
 * Water-filling: divides `amount` among the claims in proportion to their shares, none beyond
 * its cap; what a capped claim cannot take is divided again among the others, until the amount
 * is used or every claim with a positive share is full. Returns what each claim receives.
 */
export const divideByShare = (amount: number, claims: readonly ShareClaim[]): number[] => {
  const got = claims.map(() => 0);
  let active = claims.flatMap((c, i) => (c.share > 0 && c.cap > EPSILON ? [i] : []));
  let left = amount;
  while (left > EPSILON && active.length > 0) {
    const totalShare = active.reduce((s, i) => s + claims[i]!.share, 0);
    let handed = 0;
    const stillOpen: number[] = [];
    for (const i of active) {
      const c = claims[i]!;
      const give = Math.min((left * c.share) / totalShare, c.cap - got[i]!);
      got[i]! += give;
      handed += give;
      if (c.cap - got[i]! > EPSILON) stillOpen.push(i);
    }
    left -= handed;
    // Nobody was capped: the whole amount went out in proportion and we are done.
    if (stillOpen.length === active.length) break;
    active = stillOpen;
  }
  return got;
};

/** One child's settings and demand for one kind. */
export interface ChildClaim {
  readonly reservation: number;
  readonly limit: number;
  readonly share: number;
  readonly type: ReservationType;
  readonly demand: number;
}

/** Scales `wants` down in proportion when together they ask for more than `available`. */
const grantAll = (available: number, wants: readonly number[]): number[] => {
  const total = wants.reduce((s, w) => s + w, 0);
  const k = total > available && total > 0 ? Math.max(0, available) / total : 1;
  return wants.map((w) => w * k);
};

/**
 * Divides a parent's entitlement of one kind among its children in three passes:
 * 1. reservations: STATIC pools get their whole reservation, then ELASTIC pools
 *    min(demand, reservation) (each group scaled down in proportion if it does not fit);
 * 2. the spare, by share, to children whose demand exceeds what they got, capped by demand
 *    and limit;
 * 3. what is still left, by share, to every child, capped by its limit.
 * Nobody ever gets more than its limit, and the children together never more than `available`.
 */
export const divideAmongChildren = (available: number, children: readonly ChildClaim[]): number[] => {
  const capped = (c: ChildClaim, x: number) => Math.max(0, Math.min(x, c.limit));
  const staticWants = children.map((c) => (c.type === "STATIC" ? capped(c, c.reservation) : 0));
  const given = grantAll(available, staticWants);
  let left = available - given.reduce((s, x) => s + x, 0);

  const elasticWants = children.map((c) =>
    c.type === "ELASTIC" ? capped(c, Math.min(c.demand, c.reservation)) : 0,
  );
  grantAll(left, elasticWants).forEach((x, i) => {
    given[i]! += x;
    left -= x;
  });

  const passes: ((c: ChildClaim, i: number) => number)[] = [
    (c, i) => capped(c, c.demand) - given[i]!,
    (c, i) => c.limit - given[i]!,
  ];
  for (const want of passes) {
    if (left <= EPSILON) break;
    const claims = children.map((c, i) => ({ share: c.share, cap: Math.max(0, want(c, i)) }));
    divideByShare(left, claims).forEach((x, i) => {
      given[i]! += x;
      left -= x;
    });
  }
  return given;
};
