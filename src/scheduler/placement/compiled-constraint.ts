import {
  CONDITION_HOLDS,
  type Constraint,
  constraintKey,
  describeConstraint,
  exclusiveRequests,
  hostOnlyPart,
  isHostOnly,
  type LabelConstraint,
  onlyHurtByMorePods,
} from "../../domain/constraints.js";
import { HOSTNAME_LABEL } from "../../domain/host.js";
import type { HostTable } from "./host-table.js";

/** A constraint (sub)tree turned into a function of the host number. */
export interface CompiledNode {
  readonly key: string;
  readonly tree: Constraint;
  /** The reason a host failing this node gets, e.g. `constraint host zone=a = 1`. */
  readonly reason: string;
  readonly holds: (h: number) => boolean;
  readonly children: readonly CompiledNode[];
}

export interface CompiledConstraint {
  readonly key: string;
  readonly root: CompiledNode;
  /** The host-only part every host must pass (see `hostOnlyPart`), compiled. */
  readonly hostPart: CompiledNode | undefined;
  /** Exclusive-label values the tree asks for. */
  readonly exclusive: readonly string[];
  /** True when a host that fails now fails for the rest of the round (see `onlyHurtByMorePods`). */
  readonly failureIsFinal: boolean;
}

/** At most this many host-only subtrees get a per-host result cache (a byte per host each). */
export const MAX_CACHED_SUBTREES = 256;

/**
 * Compiles constraint trees against one round's HostTable. Identical trees (by object or by
 * canonical key) share one compiled form. A subtree that reads only host labels gives the same
 * answer for a host all round, so its result is cached per host; pod-label leaves read the live
 * per-host counts, which include the pods placed earlier in the batch.
 */
export class ConstraintCompiler {
  readonly #table: HostTable;
  readonly #byObject = new WeakMap<Constraint, CompiledConstraint>();
  readonly #byKey = new Map<string, CompiledConstraint>();
  readonly #nodes = new Map<string, CompiledNode>();
  #caches = 0;

  constructor(table: HostTable) {
    this.#table = table;
  }

  compile(tree: Constraint): CompiledConstraint {
    const known = this.#byObject.get(tree);
    if (known !== undefined) return known;
    const key = constraintKey(tree);
    let compiled = this.#byKey.get(key);
    if (compiled === undefined) {
      const hostPart = hostOnlyPart(tree);
      compiled = {
        key,
        root: this.#node(tree, key),
        hostPart: hostPart === undefined ? undefined : this.#node(hostPart, constraintKey(hostPart)),
        exclusive: exclusiveRequests(tree),
        failureIsFinal: onlyHurtByMorePods(tree),
      };
      this.#byKey.set(key, compiled);
    }
    this.#byObject.set(tree, compiled);
    return compiled;
  }

  #node(tree: Constraint, key: string): CompiledNode {
    const known = this.#nodes.get(key);
    if (known !== undefined) return known;
    let node: CompiledNode;
    if (tree.type === "label") {
      node = { key, tree, reason: reasonOf(tree), holds: this.#leaf(tree), children: [] };
    } else {
      const children = tree.constraints.map((c) => this.#node(c, constraintKey(c)));
      const fns = children.map((c) => c.holds);
      const holds =
        fns.length === 1
          ? fns[0]!
          : tree.type === "and"
            ? (h: number) => {
                for (const f of fns) if (!f(h)) return false;
                return true;
              }
            : (h: number) => {
                for (const f of fns) if (f(h)) return true;
                return false;
              };
      node = { key, tree, reason: reasonOf(tree), holds, children };
    }
    if (isHostOnly(tree) && this.#caches < MAX_CACHED_SUBTREES) {
      this.#caches++;
      node = { ...node, holds: cachePerHost(this.#table.size, node.holds) };
    }
    this.#nodes.set(key, node);
    return node;
  }

  #leaf(c: LabelConstraint): (h: number) => boolean {
    const t = this.#table;
    const test = CONDITION_HOLDS[c.condition];
    const req = c.requirement;
    const id = t.labels.id(c.label.key, c.label.value);
    if (c.kind === "pod") return (h) => test(t.podLabels[h]?.get(id) ?? 0, req);
    if (c.label.key === HOSTNAME_LABEL) {
      const named = t.byName.get(c.label.value) ?? -1;
      return (h) => test((h === named ? 1 : 0) + (t.hostLabels[h]?.get(id) ?? 0), req);
    }
    return (h) => test(t.hostLabels[h]?.get(id) ?? 0, req);
  }
}

const reasonOf = (tree: Constraint) => `constraint ${describeConstraint(tree)}`;

/** Remembers a host-determined answer: 0 not yet known, 1 holds, 2 fails. */
const cachePerHost = (size: number, f: (h: number) => boolean): ((h: number) => boolean) => {
  let memo: Uint8Array | undefined;
  return (h) => {
    memo ??= new Uint8Array(size);
    const m = memo[h]!;
    if (m !== 0) return m === 1;
    const v = f(h);
    memo[h] = v ? 1 : 2;
    return v;
  };
};

/**
 * Why host h fails the node: the reason of the first failing member of an AND, else the node's
 * own (a failing OR or label constraint is reported whole).
 */
export const failureReason = (node: CompiledNode, h: number): string => {
  if (node.tree.type === "and") {
    const failing = node.children.find((c) => !c.holds(h));
    if (failing !== undefined) return failureReason(failing, h);
  }
  return node.reason;
};
