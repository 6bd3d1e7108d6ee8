import { isResourceKind, RESOURCE_KINDS } from "../../domain/resources.js";
import type { PoolConfig, PoolResource, ReservationType } from "../../domain/respool.js";
import {
  ReservationType as ProtoReservationType,
  type ResourcePoolInfo,
  type ResourcePoolSpec,
  type ResourceUsage,
  SchedulingPolicy,
} from "../../gen/peloton/api/v1alpha/respool/respool.js";
import { AppError } from "../../lib/app-error.js";
import type { StoredPool } from "../../store/resource-pool-repository.js";
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

export function specFromPool(pool: StoredPool): ResourcePoolSpec {
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

/** What a pool uses now, per kind; the scheduler fills it (zero until then). */
export type PoolUsages = (poolId: string) => readonly ResourceUsage[];

export const zeroUsages: PoolUsages = () => RESOURCE_KINDS.map((kind) => ({ kind, allocation: 0, slack: 0 }));

export function poolInfo(
  pool: StoredPool,
  children: readonly StoredPool[],
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
