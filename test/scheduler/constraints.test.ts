// Tests for src/domain/constraints.ts (kept with the scheduler, its only user so far).
import { describe, expect, it } from "vitest";
import {
  andConstraint,
  type Constraint,
  constraintKey,
  describeConstraint,
  evaluateConstraint,
  exclusiveRequests,
  hostOnlyPart,
  isConstraintCondition,
  isConstraintKind,
  isHostOnly,
  labelConstraint,
  onlyHurtByMorePods,
  orConstraint,
} from "../../src/domain/constraints.js";
import { EXCLUSIVE_LABEL } from "../../src/domain/host.js";

const zoneA = labelConstraint("host", { key: "zone", value: "a" }, "equal", 1);
const noWeb = labelConstraint("pod", { key: "app", value: "web" }, "less_than", 1);
const nearDb = labelConstraint("pod", { key: "app", value: "db" }, "greater_than", 0);

describe("constraints", () => {
  it("compares the count of matching labels with the requirement", () => {
    const counts: Record<string, number> = { "host zone=a": 1, "pod app=web": 2, "pod app=db": 0 };
    const count = (kind: string, l: { key: string; value: string }) =>
      counts[`${kind} ${l.key}=${l.value}`] ?? 0;
    expect(evaluateConstraint(zoneA, count)).toBe(true);
    expect(evaluateConstraint(noWeb, count)).toBe(false);
    expect(
      evaluateConstraint(labelConstraint("pod", { key: "app", value: "web" }, "less_than", 3), count),
    ).toBe(true);
    expect(evaluateConstraint(nearDb, count)).toBe(false);
    expect(evaluateConstraint(orConstraint(noWeb, zoneA), count)).toBe(true);
    expect(evaluateConstraint(andConstraint(noWeb, zoneA), count)).toBe(false);
    expect(evaluateConstraint(andConstraint(), count)).toBe(true);
    expect(evaluateConstraint(orConstraint(), count)).toBe(false);
  });

  it("writes trees out and keys them canonically", () => {
    const tree = andConstraint(zoneA, orConstraint(noWeb, nearDb));
    expect(describeConstraint(tree)).toBe("all(host zone=a = 1, any(pod app=web < 1, pod app=db > 0))");
    const same: Constraint = JSON.parse(JSON.stringify(tree));
    expect(constraintKey(same)).toBe(constraintKey(tree));
    expect(constraintKey(andConstraint(zoneA, noWeb))).not.toBe(constraintKey(orConstraint(zoneA, noWeb)));
    // Keys cannot be confused by separators inside labels.
    const tricky = labelConstraint("host", { key: "a,b", value: "c" }, "equal", 1);
    const plain = labelConstraint("host", { key: "a", value: "b,c" }, "equal", 1);
    expect(constraintKey(tricky)).not.toBe(constraintKey(plain));
  });

  it("finds the host-only part a host must pass", () => {
    expect(isHostOnly(zoneA)).toBe(true);
    expect(isHostOnly(andConstraint(zoneA, noWeb))).toBe(false);
    expect(hostOnlyPart(zoneA)).toBe(zoneA);
    expect(hostOnlyPart(andConstraint(noWeb, zoneA))).toBe(zoneA);
    const rack = labelConstraint("host", { key: "rack", value: "r1" }, "equal", 1);
    expect(hostOnlyPart(andConstraint(zoneA, andConstraint(noWeb, rack)))).toEqual(
      andConstraint(zoneA, rack),
    );
    expect(hostOnlyPart(orConstraint(zoneA, noWeb))).toBeUndefined();
    expect(hostOnlyPart(noWeb)).toBeUndefined();
  });

  it("knows when more pods can only hurt", () => {
    expect(onlyHurtByMorePods(andConstraint(zoneA, noWeb))).toBe(true);
    expect(onlyHurtByMorePods(orConstraint(zoneA, nearDb))).toBe(false);
    expect(onlyHurtByMorePods(labelConstraint("pod", { key: "app", value: "x" }, "equal", 0))).toBe(false);
  });

  it("reads exclusive requests: host constraints that need the exclusive label present", () => {
    const wants = (v: string) => labelConstraint("host", { key: EXCLUSIVE_LABEL, value: v }, "equal", 1);
    const avoids = labelConstraint("host", { key: EXCLUSIVE_LABEL, value: "z" }, "less_than", 1);
    const podSide = labelConstraint("pod", { key: EXCLUSIVE_LABEL, value: "w" }, "greater_than", 0);
    expect(exclusiveRequests(orConstraint(wants("x"), andConstraint(wants("y"), avoids), podSide))).toEqual([
      "x",
      "y",
    ]);
    expect(exclusiveRequests(zoneA)).toEqual([]);
  });

  it("validates the closed sets", () => {
    expect([isConstraintKind("pod"), isConstraintKind("host"), isConstraintKind("rack")]).toEqual([
      true,
      true,
      false,
    ]);
    expect([isConstraintCondition("equal"), isConstraintCondition("EQUAL")]).toEqual([true, false]);
  });
});
