import { RESOURCE_KINDS, type ResourceKind, type Resources } from "../domain/resources.js";
import { AppError } from "../lib/app-error.js";
import {
  DEFAULT_POOL_RESOURCE,
  type PoolRecord,
  type PoolResourceSpec,
  ROOT_POOL_ID,
} from "./pool-record.js";

/** A pool in the run-time tree, with its settings filled in for every kind. */
export interface PoolNode {
  readonly id: string;
  readonly parentId: string | undefined;
  readonly children: readonly string[];
  readonly spec: Readonly<Record<ResourceKind, PoolResourceSpec>>;
  readonly reservation: Resources;
  readonly limit: Resources;
  readonly controllerLimitPercent: number | undefined;
  readonly slackLimitPercent: number | undefined;
}

export interface PoolTree {
  readonly rootId: string;
  readonly nodes: ReadonlyMap<string, PoolNode>;
  /** Every pool id, parents before their children (breadth first from the root). */
  readonly topDown: readonly string[];
}

const vector = (spec: Record<ResourceKind, PoolResourceSpec>, f: (s: PoolResourceSpec) => number) =>
  Object.fromEntries(RESOURCE_KINDS.map((k) => [k, f(spec[k])])) as Record<ResourceKind, number>;

const fillSpec = (r: PoolRecord): Record<ResourceKind, PoolResourceSpec> =>
  Object.fromEntries(RESOURCE_KINDS.map((k) => [k, r.resources[k] ?? DEFAULT_POOL_RESOURCE])) as Record<
    ResourceKind,
    PoolResourceSpec
  >;

const invalid = (id: string, rule: string) => AppError.invalid(`pool ${id}`, rule);

/**
 * Builds the tree from plain pool records. The root is implicit (a record with the root's id
 * is accepted and its settings ignored: the root is entitled to the whole fleet). Throws
 * INVALID_ARGUMENT for duplicate ids, unknown parents and cycles.
 */
export const buildPoolTree = (records: readonly PoolRecord[]): PoolTree => {
  const byId = new Map<string, PoolRecord>();
  for (const r of records) {
    if (r.id === ROOT_POOL_ID) continue;
    if (byId.has(r.id)) throw invalid(r.id, "duplicate pool id");
    byId.set(r.id, r);
  }
  const parentOf = (r: PoolRecord): string => r.parentId || ROOT_POOL_ID;
  const children = new Map<string, string[]>([[ROOT_POOL_ID, []]]);
  for (const r of byId.values()) children.set(r.id, []);
  for (const r of byId.values()) {
    const siblings = children.get(parentOf(r));
    if (siblings === undefined) throw invalid(r.id, `parent ${parentOf(r)} does not exist`);
    siblings.push(r.id);
  }

  const nodes = new Map<string, PoolNode>();
  const rootSpec = fillSpec({ id: ROOT_POOL_ID, resources: {} });
  nodes.set(ROOT_POOL_ID, {
    id: ROOT_POOL_ID,
    parentId: undefined,
    children: children.get(ROOT_POOL_ID) ?? [],
    spec: rootSpec,
    reservation: vector(rootSpec, (s) => s.reservation),
    limit: vector(rootSpec, (s) => s.limit),
    controllerLimitPercent: undefined,
    slackLimitPercent: undefined,
  });
  const topDown: string[] = [];
  const queue = [ROOT_POOL_ID];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    topDown.push(id);
    for (const c of children.get(id) ?? []) {
      const r = byId.get(c)!;
      const spec = fillSpec(r);
      nodes.set(c, {
        id: c,
        parentId: id,
        children: children.get(c) ?? [],
        spec,
        reservation: vector(spec, (s) => Math.min(s.reservation, s.limit)),
        limit: vector(spec, (s) => s.limit),
        controllerLimitPercent: r.controllerLimitPercent,
        slackLimitPercent: r.slackLimitPercent,
      });
      queue.push(c);
    }
  }
  const unreachable = [...byId.keys()].find((id) => !nodes.has(id));
  if (unreachable !== undefined) throw invalid(unreachable, "its parents form a cycle");
  return { rootId: ROOT_POOL_ID, nodes, topDown };
};

/** True when the pool has no children: only leaf pools hold pods. */
export const isLeaf = (tree: PoolTree, id: string): boolean => {
  const n = tree.nodes.get(id);
  return n !== undefined && n.children.length === 0 && id !== tree.rootId;
};
