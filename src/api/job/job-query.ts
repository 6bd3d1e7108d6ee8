import { JOB_ORDER_PROPERTIES, type JobOrderProperty, type JobQuery } from "../../domain/job.js";
import { normalisePoolPath } from "../../domain/respool.js";
import type { QuerySpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { OrderBy_Order } from "../../gen/peloton/api/v1alpha/query/query.js";
import { AppError } from "../../lib/app-error.js";
import { enumValue } from "../fields.js";
import { JOB_STATE_OF } from "./convert.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Property paths clients write (Peloton's `runtime.creationTime` style, or plain names). */
const PROPERTY_OF: Record<string, JobOrderProperty> = {
  creation_time: "creation_time",
  creationTime: "creation_time",
  "runtime.creationTime": "creation_time",
  "runtime.creation_time": "creation_time",
  completion_time: "completion_time",
  completionTime: "completion_time",
  "runtime.completionTime": "completion_time",
  "runtime.completion_time": "completion_time",
  name: "name",
  "config.name": "name",
  owner: "owner",
  "config.owner": "owner",
  state: "state",
  "runtime.state": "state",
};

const toMillis = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime());

function timeRange(range: QuerySpec["creationTimeRange"], field: string) {
  if (!range) return undefined;
  const min = toMillis(range.min);
  const max = toMillis(range.max);
  if (min !== undefined && max !== undefined && min > max)
    throw AppError.invalid(field, "min must not be after max");
  return { min, max };
}

/**
 * The domain query of a QueryJobs spec. `poolIdsUnder` resolves a pool path to the ids of the
 * pool and its descendants (undefined when no pool has that path).
 */
export function jobQueryFromSpec(
  spec: QuerySpec | undefined,
  poolIdsUnder: (path: string) => readonly string[] | undefined,
): JobQuery {
  const s = spec;
  const p = s?.pagination;
  const orderBy = (p?.orderBy ?? []).map((o, i) => {
    const path = o.property?.value ?? "";
    const property = PROPERTY_OF[path];
    if (!property) {
      throw AppError.invalid(
        `spec.pagination.order_by[${i}].property`,
        `"${path}" cannot be ordered by (use one of ${JOB_ORDER_PROPERTIES.join(", ")})`,
      );
    }
    if (
      o.order !== OrderBy_Order.ORDER_BY_INVALID &&
      o.order !== OrderBy_Order.ORDER_BY_ASC &&
      o.order !== OrderBy_Order.ORDER_BY_DESC
    ) {
      throw AppError.invalid(`spec.pagination.order_by[${i}].order`, `${o.order} is not ASC or DESC`);
    }
    return { property, descending: o.order === OrderBy_Order.ORDER_BY_DESC };
  });
  let respoolIds: readonly string[] | undefined;
  const path = s?.respool?.value;
  if (path) {
    if (!path.startsWith("/"))
      throw AppError.invalid("spec.respool.value", `must start with "/" (got "${path}")`);
    respoolIds = poolIdsUnder(normalisePoolPath(path));
    if (!respoolIds) throw AppError.notFound(`no resource pool at path ${path}`);
  }
  const states = (s?.jobStates ?? []).map((v, i) => enumValue(v, JOB_STATE_OF, `spec.job_states[${i}]`));
  (s?.labels ?? []).forEach((l, i) => {
    if (l.key === "") throw AppError.invalid(`spec.labels[${i}].key`, "is required");
  });
  return {
    labels: s?.labels ?? [],
    keywords: (s?.keywords ?? []).filter((k) => k.trim() !== ""),
    states,
    respoolIds,
    owner: s?.owner || undefined,
    name: s?.name || undefined,
    creationTime: timeRange(s?.creationTimeRange, "spec.creation_time_range"),
    completionTime: timeRange(s?.completionTimeRange, "spec.completion_time_range"),
    offset: p?.offset ?? 0,
    limit: Math.min(p?.limit || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    maxLimit: p?.maxLimit ?? 0,
    orderBy,
  };
}
