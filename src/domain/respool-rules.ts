import { AppError } from "../lib/app-error.js";
import { EPSILON } from "./resources.js";
import { childPath, type PoolConfig, type PoolNode, ROOT_POOL_ID, resourceOf } from "./respool.js";

/**
 * The rules a pool must keep, alone and in its tree. Each failure is an AppError naming the
 * request field (`spec.<…>`) and the rule it breaks.
 */

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Rules that need nothing but the config itself. */
export function checkPoolConfig(config: PoolConfig): void {
  if (config.name.length === 0) throw AppError.invalid("spec.name", "must not be empty");
  if (!NAME_PATTERN.test(config.name)) {
    throw AppError.invalid("spec.name", "may contain only letters, digits, '_', '.' and '-'");
  }
  const seen = new Set<string>();
  config.resources.forEach((r, i) => {
    const at = `spec.resources[${i}]`;
    if (seen.has(r.kind)) throw AppError.invalid(`${at}.kind`, `"${r.kind}" is given more than once`);
    seen.add(r.kind);
    for (const [field, v] of [
      ["reservation", r.reservation],
      ["limit", r.limit],
      ["share", r.share],
    ] as const) {
      if (!Number.isFinite(v)) throw AppError.invalid(`${at}.${field}`, "must be a finite number");
      if (v < 0) throw AppError.invalid(`${at}.${field}`, "must be >= 0");
    }
    if (r.limit + EPSILON < r.reservation) {
      throw AppError.invalid(`${at}.limit`, `must be >= reservation (${r.reservation})`);
    }
  });
  const percent = (field: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v <= 100)) throw AppError.invalid(field, "must be within 0-100");
  };
  percent("spec.controller_limit.max_percent", config.controllerLimitPercent);
  percent("spec.slack_limit.maxPercent", config.slackLimitPercent);
}

export interface PoolPlacement {
  /** The pool being created (new id) or updated (existing id). */
  readonly id: string;
  readonly parentId: string;
  readonly config: PoolConfig;
}

/**
 * Rules that relate the pool to its parent, siblings and (on update) children. `pools` is the
 * whole tree as stored; on update it still holds the old version of the pool.
 */
export function checkPoolInTree(pools: ReadonlyMap<string, PoolNode>, pool: PoolPlacement): void {
  const parent = pools.get(pool.parentId);
  if (!parent) throw AppError.notFound(`resource pool ${pool.parentId} (the parent) does not exist`);

  const siblings = [...pools.values()].filter((p) => p.parentId === parent.id && p.id !== pool.id);
  if (siblings.some((s) => s.config.name === pool.config.name)) {
    throw AppError.invalid(
      "spec.name",
      `must be unique among the children of ${parent.path}: ${childPath(parent.path, pool.config.name)} exists`,
    );
  }

  if (parent.id !== ROOT_POOL_ID) checkAgainstParent(parent, siblings, pool.config);

  const children = [...pools.values()].filter((p) => p.parentId === pool.id);
  if (children.length > 0) checkAgainstChildren(pool.config, children);
}

function checkAgainstParent(parent: PoolNode, siblings: readonly PoolNode[], config: PoolConfig): void {
  config.resources.forEach((r, i) => {
    const at = `spec.resources[${i}]`;
    const own = resourceOf(parent.config, r.kind);
    if (!own) {
      throw AppError.invalid(`${at}.kind`, `parent ${parent.path} has no "${r.kind}" resource`);
    }
    if (r.limit > own.limit + EPSILON) {
      throw AppError.invalid(`${at}.limit`, `must be <= the parent's ${r.kind} limit (${own.limit})`);
    }
    const taken = siblings.reduce((sum, s) => sum + (resourceOf(s.config, r.kind)?.reservation ?? 0), 0);
    if (taken + r.reservation > own.reservation + EPSILON) {
      throw AppError.invalid(
        `${at}.reservation`,
        `children of ${parent.path} would reserve ${taken + r.reservation} ${r.kind}, more than its reservation (${own.reservation})`,
      );
    }
  });
}

function checkAgainstChildren(config: PoolConfig, children: readonly PoolNode[]): void {
  for (const child of children) {
    for (const cr of child.config.resources) {
      const own = resourceOf(config, cr.kind);
      const i = config.resources.findIndex((r) => r.kind === cr.kind);
      if (!own) {
        throw AppError.invalid(
          "spec.resources",
          `child ${child.path} uses "${cr.kind}", which the pool must keep`,
        );
      }
      if (cr.limit > own.limit + EPSILON) {
        throw AppError.invalid(
          `spec.resources[${i}].limit`,
          `must be >= the limit of child ${child.path} (${cr.limit} ${cr.kind})`,
        );
      }
    }
  }
  config.resources.forEach((r, i) => {
    const reserved = children.reduce((sum, c) => sum + (resourceOf(c.config, r.kind)?.reservation ?? 0), 0);
    if (reserved > r.reservation + EPSILON) {
      throw AppError.invalid(
        `spec.resources[${i}].reservation`,
        `must be >= what its children reserve (${reserved} ${r.kind})`,
      );
    }
  });
}
