import type { Constraint, ConstraintCondition, ConstraintKind } from "../../domain/constraints.js";
import {
  Constraint_Type,
  LabelConstraint_Condition,
  LabelConstraint_Kind,
  type Constraint as ProtoConstraint,
} from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { AppError } from "../../lib/app-error.js";
import { enumValue } from "../fields.js";

const KIND_OF = new Map<number, ConstraintKind>([
  [LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_POD, "pod"],
  [LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_HOST, "host"],
]);
const CONDITION_OF = new Map<number, ConstraintCondition>([
  [LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_LESS_THAN, "less_than"],
  [LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_EQUAL, "equal"],
  [LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_GREATER_THAN, "greater_than"],
]);

/** Deeper trees than this are refused: no real placement rule needs them. */
export const MAX_CONSTRAINT_DEPTH = 8;

/** The domain constraint of a pod.Constraint, refusing malformed trees with the field path. */
export function constraintFromProto(c: ProtoConstraint, field: string, depth = 1): Constraint {
  if (depth > MAX_CONSTRAINT_DEPTH)
    throw AppError.invalid(field, `nests deeper than ${MAX_CONSTRAINT_DEPTH} levels`);
  switch (c.type) {
    case Constraint_Type.CONSTRAINT_TYPE_LABEL: {
      const lc = c.labelConstraint;
      if (!lc) throw AppError.invalid(`${field}.label_constraint`, "is required for a LABEL constraint");
      const at = `${field}.label_constraint`;
      const key = lc.label?.key ?? "";
      if (key === "") throw AppError.invalid(`${at}.label.key`, "is required");
      return {
        type: "label",
        kind: enumValue(lc.kind, KIND_OF, `${at}.kind`),
        condition: enumValue(lc.condition, CONDITION_OF, `${at}.condition`),
        label: { key, value: lc.label?.value ?? "" },
        requirement: lc.requirement,
      };
    }
    case Constraint_Type.CONSTRAINT_TYPE_AND:
    case Constraint_Type.CONSTRAINT_TYPE_OR: {
      const isAnd = c.type === Constraint_Type.CONSTRAINT_TYPE_AND;
      const name = isAnd ? "and_constraint" : "or_constraint";
      const list = (isAnd ? c.andConstraint : c.orConstraint)?.constraints ?? [];
      if (list.length === 0)
        throw AppError.invalid(`${field}.${name}.constraints`, "must hold at least one constraint");
      const constraints = list.map((sub, i) =>
        constraintFromProto(sub, `${field}.${name}.constraints[${i}]`, depth + 1),
      );
      return { type: isAnd ? "and" : "or", constraints };
    }
    default:
      throw AppError.invalid(`${field}.type`, `${c.type} is not LABEL, AND or OR`);
  }
}
