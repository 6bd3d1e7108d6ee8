import type { ResourceKind } from "./resources.js";

/** The id and path of the pool at the top of every tree; it always exists. */
export const ROOT_POOL_ID = "root";
export const ROOT_POOL_PATH = "/";

export const RESERVATION_TYPES = ["ELASTIC", "STATIC"] as const;
export type ReservationType = (typeof RESERVATION_TYPES)[number];

export const SCHEDULING_POLICIES = ["PRIORITY_FIFO"] as const;
export type SchedulingPolicy = (typeof SCHEDULING_POLICIES)[number];

/** How much of one kind a pool reserves, may reach, and weighs when spare capacity is shared. */
export interface PoolResource {
  readonly kind: ResourceKind;
  readonly reservation: number;
  readonly limit: number;
  readonly share: number;
  readonly type: ReservationType;
}

/** What the scheduler and the tree rules need of a pool's spec. */
export interface PoolConfig {
  readonly name: string;
  readonly owningTeam: string;
  readonly ldapGroups: readonly string[];
  readonly description: string;
  readonly resources: readonly PoolResource[];
  readonly policy: SchedulingPolicy;
  /** Percent of the reservation that controller pods may use; undefined means no cap. */
  readonly controllerLimitPercent: number | undefined;
  /** Percent of the memory/disk reservation that revocable pods may use; undefined means no cap. */
  readonly slackLimitPercent: number | undefined;
}

/** A pool as it sits in the tree. */
export interface PoolNode {
  readonly id: string;
  /** Null only for the root. */
  readonly parentId: string | null;
  readonly path: string;
  readonly config: PoolConfig;
}

export const childPath = (parentPath: string, name: string): string =>
  parentPath === ROOT_POOL_PATH ? `/${name}` : `${parentPath}/${name}`;

/** Normalises a user-given path: `/a/b/` and `/a//b` both mean `/a/b`. */
export const normalisePoolPath = (path: string): string => {
  const parts = path.split("/").filter((p) => p.length > 0);
  return parts.length === 0 ? ROOT_POOL_PATH : `/${parts.join("/")}`;
};

export const resourceOf = (config: PoolConfig, kind: ResourceKind): PoolResource | undefined =>
  config.resources.find((r) => r.kind === kind);

/** A pool as stored: its place in the tree, its config and its revision. */
export interface ResourcePool extends PoolNode {
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}
