import { randomUUID } from "node:crypto";
import { RESOURCE_KINDS, type Resources } from "../../domain/resources.js";
import { normalisePoolPath, type ResourcePool, ROOT_POOL_ID } from "../../domain/respool.js";
import { checkPoolConfig } from "../../domain/respool-rules.js";
import type { ResourcePoolServiceImplementation } from "../../gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { AppError } from "../../lib/app-error.js";
import { required, requiredMessage } from "../fields.js";
import type { PoolCommands, PoolQueries, RuntimeView } from "../ports.js";
import { type PoolUsages, poolConfigFromSpec, poolInfo, usagesOf } from "./convert.js";

export interface ResourcePoolServiceDeps {
  readonly pools: PoolQueries;
  /** Pool changes; what the placed pods of each leaf pool use now; what the fleet offers (the root's capacity). */
  readonly engine: PoolCommands & Pick<RuntimeView, "allocationByPool" | "capacity">;
}

/** The root as clients see it: it reserves, and is limited to, what the fleet offers. */
const withCapacity = (root: ResourcePool, capacity: Resources): ResourcePool => ({
  ...root,
  config: {
    ...root.config,
    resources: RESOURCE_KINDS.map((kind) => ({
      kind,
      reservation: capacity[kind],
      limit: capacity[kind],
      share: 1,
      type: "ELASTIC" as const,
    })),
  },
});

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** peloton.api.v1alpha.respool.ResourcePoolService. */
export function resourcePoolService(deps: ResourcePoolServiceDeps): ResourcePoolServiceImplementation {
  const { pools, engine } = deps;

  const mustGet = async (id: string): Promise<ResourcePool> => {
    const pool = await pools.get(id);
    if (!pool) throw AppError.notFound(`resource pool ${id} does not exist`);
    return pool;
  };

  const infoOf = (pool: ResourcePool, all: readonly ResourcePool[], usages: PoolUsages) =>
    poolInfo(
      pool.parentId === null ? withCapacity(pool, engine.capacity()) : pool,
      all.filter((p) => p.parentId === pool.id),
      usages,
    );

  return {
    async createResourcePool(req) {
      const spec = requiredMessage(req.spec, "spec");
      const id = req.respoolId?.value || randomUUID();
      if (!ID_PATTERN.test(id)) {
        throw AppError.invalid(
          "respool_id.value",
          "may contain only letters, digits, '_', '.' and '-' (at most 128)",
        );
      }
      const parentId = required(spec.parent?.value, "spec.parent");
      const config = poolConfigFromSpec(spec);
      checkPoolConfig(config);
      await engine.createPool({ id, parentId, config });
      return { respoolId: { value: id } };
    },

    async getResourcePool(req) {
      const pool = await mustGet(req.respoolId?.value || ROOT_POOL_ID);
      const all = await pools.list();
      const usages = usagesOf(all, engine.allocationByPool());
      const respool = infoOf(pool, all, usages);
      const childRespools = req.includeChildPools
        ? all.filter((p) => p.parentId === pool.id).map((c) => infoOf(c, all, usages))
        : [];
      return { respool, childRespools };
    },

    async deleteResourcePool(req) {
      await engine.deletePool(required(req.respoolId?.value, "respool_id"));
      return {};
    },

    async updateResourcePool(req) {
      const id = required(req.respoolId?.value, "respool_id");
      const spec = requiredMessage(req.spec, "spec");
      const current = await mustGet(id);
      if (current.parentId === null)
        throw AppError.invalid("respool_id", "the root resource pool cannot be updated");
      if (spec.parent?.value && spec.parent.value !== current.parentId) {
        throw AppError.invalid("spec.parent", `cannot change on update (the parent is ${current.parentId})`);
      }
      const config = poolConfigFromSpec(spec);
      checkPoolConfig(config);
      await engine.updatePool({ id, config });
      return {};
    },

    async lookupResourcePoolID(req) {
      const path = required(req.path?.value, "path.value");
      if (!path.startsWith("/")) throw AppError.invalid("path.value", `must start with "/" (got "${path}")`);
      const pool = await pools.getByPath(normalisePoolPath(path));
      if (!pool) throw AppError.notFound(`no resource pool at path ${path}`);
      return { respoolId: { value: pool.id } };
    },

    async queryResourcePools() {
      const all = await pools.list();
      const usages = usagesOf(all, engine.allocationByPool());
      return { respools: all.map((p) => infoOf(p, all, usages)) };
    },
  };
}
