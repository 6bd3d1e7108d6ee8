import { EXCLUSIVE_LABEL } from "./host.js";
import type { Label } from "./labels.js";

/**
 * Placement constraints, as Peloton's pod.Constraint describes them: a tree of label
 * constraints joined by AND / OR. A label constraint counts the occurrences of `key=value`
 * among the host's labels (kind `host`, with the implicit `hostname` label) or among the labels
 * of the pods already on the host (kind `pod`), and compares that count with `requirement`.
 */
export const CONSTRAINT_KINDS = ["pod", "host"] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];

export const CONSTRAINT_CONDITIONS = ["less_than", "equal", "greater_than"] as const;
export type ConstraintCondition = (typeof CONSTRAINT_CONDITIONS)[number];

export const CONSTRAINT_TYPES = ["label", "and", "or"] as const;
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

export const isConstraintKind = (s: string): s is ConstraintKind =>
  (CONSTRAINT_KINDS as readonly string[]).includes(s);

export const isConstraintCondition = (s: string): s is ConstraintCondition =>
  (CONSTRAINT_CONDITIONS as readonly string[]).includes(s);

export interface LabelConstraint {
  readonly type: "label";
  readonly kind: ConstraintKind;
  readonly condition: ConstraintCondition;
  readonly label: Label;
  readonly requirement: number;
}

export interface AndConstraint {
  readonly type: "and";
  readonly constraints: readonly Constraint[];
}

export interface OrConstraint {
  readonly type: "or";
  readonly constraints: readonly Constraint[];
}

export type Constraint = LabelConstraint | AndConstraint | OrConstraint;

/** How each condition compares a label count with the requirement. */
export const CONDITION_HOLDS = {
  less_than: (count: number, requirement: number) => count < requirement,
  equal: (count: number, requirement: number) => count === requirement,
  greater_than: (count: number, requirement: number) => count > requirement,
} as const satisfies Record<ConstraintCondition, (count: number, requirement: number) => boolean>;

/** The symbol used when a condition is written out, e.g. `host zone=a = 1`. */
export const CONDITION_SYMBOLS = {
  less_than: "<",
  equal: "=",
  greater_than: ">",
} as const satisfies Record<ConstraintCondition, string>;

export const labelConstraint = (
  kind: ConstraintKind,
  label: Label,
  condition: ConstraintCondition,
  requirement: number,
): LabelConstraint => ({ type: "label", kind, condition, label, requirement });

export const andConstraint = (...constraints: Constraint[]): AndConstraint => ({ type: "and", constraints });
export const orConstraint = (...constraints: Constraint[]): OrConstraint => ({ type: "or", constraints });

/** Counts occurrences of `label` of the given kind where the constraint is being judged. */
export type LabelCounter = (kind: ConstraintKind, label: Label) => number;

/**
 * Evaluates a constraint tree. An empty AND holds and an empty OR does not (the identities of
 * the two operators).
 */
export const evaluateConstraint = (c: Constraint, count: LabelCounter): boolean => {
  switch (c.type) {
    case "label":
      return CONDITION_HOLDS[c.condition](count(c.kind, c.label), c.requirement);
    case "and":
      return c.constraints.every((x) => evaluateConstraint(x, count));
    case "or":
      return c.constraints.some((x) => evaluateConstraint(x, count));
  }
};

/** Writes a constraint out, e.g. `host zone=a = 1` or `all(pod app=web < 1, host rack=r1 > 0)`. */
export const describeConstraint = (c: Constraint): string => {
  switch (c.type) {
    case "label":
      return `${c.kind} ${c.label.key}=${c.label.value} ${CONDITION_SYMBOLS[c.condition]} ${c.requirement}`;
    case "and":
      return `all(${c.constraints.map(describeConstraint).join(", ")})`;
    case "or":
      return `any(${c.constraints.map(describeConstraint).join(", ")})`;
  }
};

/**
 * A canonical string for a tree: two trees with the same key are the same constraint, so the
 * scheduler can share work (compiled evaluators, cached per-host results) between them.
 */
export const constraintKey = (c: Constraint): string => {
  switch (c.type) {
    case "label":
      return JSON.stringify([c.kind, c.condition, c.label.key, c.label.value, c.requirement]);
    case "and":
    case "or":
      return `${c.type}(${c.constraints.map(constraintKey).join(",")})`;
  }
};

/** True when the tree has no label constraint of kind `pod`: its result depends on the host alone. */
export const isHostOnly = (c: Constraint): boolean =>
  c.type === "label" ? c.kind === "host" : c.constraints.every(isHostOnly);

/**
 * The part of the tree that depends on the host alone and must hold for the whole tree to hold:
 * the tree itself when it is host-only, else the host-only members of a top-level AND (nested
 * ANDs included); undefined when there is none.
 */
export const hostOnlyPart = (c: Constraint): Constraint | undefined => {
  if (isHostOnly(c)) return c;
  if (c.type !== "and") return undefined;
  const parts = c.constraints.flatMap((x) => hostOnlyPart(x) ?? []);
  return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { type: "and", constraints: parts };
};

/**
 * True when adding pods to a host can never turn the tree from false to true: every pod-kind
 * label constraint is LESS_THAN (more pods only lower its chances), and AND / OR preserve that.
 */
export const onlyHurtByMorePods = (c: Constraint): boolean =>
  c.type === "label"
    ? c.kind === "host" || c.condition === "less_than"
    : c.constraints.every(onlyHurtByMorePods);

/**
 * True when a label constraint asks for its label to be present: it holds with one occurrence
 * and fails with none (e.g. `= 1` or `> 0`).
 */
export const asksForLabel = (c: LabelConstraint): boolean =>
  CONDITION_HOLDS[c.condition](1, c.requirement) && !CONDITION_HOLDS[c.condition](0, c.requirement);

/**
 * The values of the exclusive host label (`peloton/exclusive=<value>`) that the tree asks for.
 * An exclusive host takes a pod only when the pod asks for one of the host's exclusive values.
 */
export const exclusiveRequests = (c: Constraint): readonly string[] => {
  const out = new Set<string>();
  const walk = (x: Constraint): void => {
    if (x.type !== "label") {
      x.constraints.forEach(walk);
    } else if (x.kind === "host" && x.label.key === EXCLUSIVE_LABEL && asksForLabel(x)) {
      out.add(x.label.value);
    }
  };
  walk(c);
  return [...out];
};
