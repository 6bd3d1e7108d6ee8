import { type Resources, resources } from "../../src/domain/resources.js";
import type { PoolPod } from "../../src/scheduler/pool-pod.js";
import type { PoolRecord, PoolResourceSpec, ReservationType } from "../../src/scheduler/pool-record.js";

/** One kind's settings; limit unlimited and share 1 unless given. */
export const spec = (
  reservation: number,
  o: { limit?: number; share?: number; type?: ReservationType } = {},
): PoolResourceSpec => ({
  reservation,
  limit: o.limit ?? Number.POSITIVE_INFINITY,
  share: o.share ?? 1,
  type: o.type ?? "ELASTIC",
});

/** A pool with cpu settings only (other kinds default). */
export const cpuPool = (
  id: string,
  reservation: number,
  o: { limit?: number; share?: number; type?: ReservationType; parentId?: string } = {},
): PoolRecord => ({ id, parentId: o.parentId, resources: { cpu: spec(reservation, o) } });

let seq = 0;

/** A pod; preemptible, not a controller, not revocable, priority 0 unless given. */
export const pod = (
  id: string,
  poolId: string,
  r: Partial<Resources> | number,
  o: Partial<Omit<PoolPod, "id" | "poolId" | "resources">> = {},
): PoolPod => ({
  id,
  poolId,
  resources: typeof r === "number" ? resources({ cpu: r }) : resources(r),
  priority: 0,
  seq: seq++,
  controller: false,
  preemptible: true,
  revocable: false,
  ...o,
});
