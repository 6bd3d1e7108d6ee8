import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countInstances,
  firstInstances,
  hasInstance,
  instancesIn,
  rangesOf,
  subtractRanges,
  unionRanges,
} from "../../src/domain/instance-ranges.js";

const ids = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 80 });

describe("instance ranges", () => {
  it("keep consecutive ids as one range", () => {
    expect(rangesOf([3, 1, 2, 7, 8, 2])).toEqual([
      [1, 4],
      [7, 9],
    ]);
    expect(firstInstances(5)).toEqual([[0, 5]]);
    expect(firstInstances(0)).toEqual([]);
  });

  it("hold exactly the ids they were made of, sorted, disjoint and not adjacent", () => {
    fc.assert(
      fc.property(ids, (xs) => {
        const r = rangesOf(xs);
        const set = new Set(xs);
        expect([...instancesIn(r)]).toEqual([...set].sort((a, b) => a - b));
        expect(countInstances(r)).toBe(set.size);
        for (let i = 0; i <= 201; i++) expect(hasInstance(r, i)).toBe(set.has(i));
        for (let i = 1; i < r.length; i++) expect(r[i]![0]).toBeGreaterThan(r[i - 1]![1]);
      }),
    );
  });

  it("subtract like sets", () => {
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        const minus = new Set(b);
        expect(subtractRanges(rangesOf(a), rangesOf(b))).toEqual(rangesOf(a.filter((x) => !minus.has(x))));
      }),
    );
  });

  it("unite like sets", () => {
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        expect(unionRanges(rangesOf(a), rangesOf(b))).toEqual(rangesOf([...a, ...b]));
      }),
    );
  });
});
