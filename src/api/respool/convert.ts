import { add, isResourceKind, RESOURCE_KINDS, type Resources, ZERO } from "../../domain/resources.js";
import type { PoolConfig, PoolResource, ReservationType, ResourcePool } from "../../domain/respool.js";
import {
  ReservationType as ProtoReservationType,
  type ResourcePoolInfo,
  type ResourcePoolSpec,
  type ResourceUsage,
  SchedulingPolicy,
} from "../../gen/peloton/api/v1alpha/respool/respool.js";
import { AppError } from "../../lib/app-error.js";
import { enumValue } from "../fields.js";

const RESERVATION_TYPE_OF = new Map<number, ReservationType>([
  [ProtoReservationType.RESERVATION_TYPE_ELASTIC, "ELASTIC"],
  [ProtoReservationType.RESERVATION_TYPE_STATIC, "STATIC"],
]);
const PROTO_RESERVATION_TYPE: Record<ReservationType, ProtoReservationType> = {
  ELASTIC: ProtoReservationType.RESERVATION_TYPE_ELASTIC,
  STATIC: ProtoReservationType.RESERVATION_TYPE_STATIC,
};
const POLICY_OF = new Map([[SchedulingPolicy.SCHEDULING_POLICY_PRIORITY_FIFO, "PRIORITY_FIFO" as const]]);

/** The domain config of a ResourcePoolSpec; field-level rules that need no tree are checked here. */
export function poolConfigFromSpec(spec: ResourcePoolSpec): PoolConfig {
  const resources = spec.resources.map((r, i): PoolResource => {
    if (!isResourceKind(r.kind)) {
      throw AppError.invalid(
        `spec.resources[${i}].kind`,
        `"${r.kind}" is not one of ${RESOURCE_KINDS.join(", ")}`,
      );
    }
    const type = enumValue(
      r.type,
      RESERVATION_TYPE_OF,
      `spec.resources[${i}].type`,
      "ELASTIC" as ReservationType,
    );
    return { kind: r.kind, reservation: r.reservation, limit: r.limit, share: r.share, type };
  });
  return {
    name: spec.name,
    owningTeam: spec.owningTeam,
    ldapGroups: [...spec.ldapGroups],
    description: spec.description,
    resources,
    policy: enumValue(spec.policy, POLICY_OF, "spec.policy", "PRIORITY_FIFO" as const),
    controllerLimitPercent: spec.controllerLimit?.maxPercent,
    slackLimitPercent: spec.slackLimit?.maxPercent,
  };
}

export function specFromPool(pool: ResourcePool): ResourcePoolSpec {
  const c = pool.config;
  return {
    revision: {
      version: String(pool.revision),
      createdAt: String(pool.createdAt),
      updatedAt: String(pool.updatedAt),
      updatedBy: "",
    },
    name: c.name,
    owningTeam: c.owningTeam,
    ldapGroups: [...c.ldapGroups],
    description: c.description,
    resources: c.resources.map((r) => ({
      kind: r.kind,
      reservation: r.reservation,
      limit: r.limit,
      share: r.share,
      type: PROTO_RESERVATION_TYPE[r.type],
    })),
    parent: pool.parentId === null ? undefined : { value: pool.parentId },
    policy: SchedulingPolicy.SCHEDULING_POLICY_PRIORITY_FIFO,
    controllerLimit:
      c.controllerLimitPercent === undefined ? undefined : { maxPercent: c.controllerLimitPercent },
    slackLimit: c.slackLimitPercent === undefined ? undefined : { maxPercent: c.slackLimitPercent },
  };
}

/** What a pool uses now, per kind. */
export type PoolUsages = (poolId: string) => readonly ResourceUsage[];

/** Allocation of placed pods per leaf pool: regular resources, and slack (revocable cpu). */
export type LeafAllocation = ReadonlyMap<
  string,
  { readonly allocation: Resources; readonly slack: Resources }
>;

/** Usages of every pool: a pool uses what the pods of its leaves use. */
export function usagesOf(pools: readonly ResourcePool[], leaves: LeafAllocation): PoolUsages {
  const parent = new Map(pools.map((p) => [p.id, p.parentId]));
  const total = new Map<string, { allocation: Resources; slack: Resources }>();
  for (const [leaf, use] of leaves) {
    for (let id: string | null | undefined = leaf; id; id = parent.get(id)) {
      const t = total.get(id) ?? { allocation: ZERO, slack: ZERO };
      total.set(id, { allocation: add(t.allocation, use.allocation), slack: add(t.slack, use.slack) });
    }
  }
  return (poolId) =>
    RESOURCE_KINDS.map((kind) => ({
      kind,
      allocation: total.get(poolId)?.allocation[kind] ?? 0,
      slack: total.get(poolId)?.slack[kind] ?? 0,
    }));
}

export function poolInfo(
  pool: ResourcePool,
  children: readonly ResourcePool[],
  usages: PoolUsages,
): ResourcePoolInfo {
  return {
    respoolId: { value: pool.id },
    spec: specFromPool(pool),
    parent: pool.parentId === null ? undefined : { value: pool.parentId },
    children: children.map((c) => ({ value: c.id })),
    usages: [...usages(pool.id)],
    path: { value: pool.path },
  };
}
