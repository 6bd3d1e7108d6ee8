import { describe, expect, it } from "vitest";
import { divideAmongChildren, divideByShare } from "../../src/scheduler/share-division.js";

const INF = Number.POSITIVE_INFINITY;
const claim = (
  reservation: number,
  demand: number,
  o: { limit?: number; share?: number; type?: "ELASTIC" | "STATIC" } = {},
) => ({
  reservation,
  demand,
  limit: o.limit ?? INF,
  share: o.share ?? 1,
  type: o.type ?? ("ELASTIC" as const),
});

describe("divideByShare", () => {
  it("hands out in proportion to share when nobody is capped", () => {
    // 60 over shares 1:2 → 20 and 40.
    expect(
      divideByShare(60, [
        { share: 1, cap: INF },
        { share: 2, cap: INF },
      ]),
    ).toEqual([20, 40]);
  });

  it("re-divides what a capped claim cannot take (water-filling)", () => {
    // 90 over shares 1:1:2 → 22.5, 22.5, 45; the first is capped at 20, so 2.5 goes round again
    // to shares 1:2 → +0.8333 and +1.6667: 20, 23.333, 46.667.
    const got = divideByShare(90, [
      { share: 1, cap: 20 },
      { share: 1, cap: INF },
      { share: 2, cap: INF },
    ]);
    expect(got[0]).toBeCloseTo(20, 9);
    expect(got[1]).toBeCloseTo(23.3333333, 6);
    expect(got[2]).toBeCloseTo(46.6666667, 6);
  });

  it("leaves the rest undivided when every claim is full, and gives nothing to share 0", () => {
    // caps 5 and 10 take 15 of 100; the share-0 claim gets nothing.
    expect(
      divideByShare(100, [
        { share: 1, cap: 5 },
        { share: 3, cap: 10 },
        { share: 0, cap: INF },
      ]),
    ).toEqual([5, 10, 0]);
  });
});

describe("divideAmongChildren (one kind, three passes)", () => {
  it("works the user-guide example: 100 cpu, A (res 30, share 1, demand 60), B (res 20, share 3, demand 80)", () => {
    // Pass 1: A min(60,30)=30, B min(80,20)=20; spare 50.
    // Pass 2: A wants 30 more, B 60 more; by shares 1:3 → A +12.5, B +37.5 (neither capped).
    // → A 42.5, B 57.5; nothing left for pass 3.
    expect(divideAmongChildren(100, [claim(30, 60, { share: 1 }), claim(20, 80, { share: 3 })])).toEqual([
      42.5, 57.5,
    ]);
  });

  it("gives a STATIC pool its reservation without demand, an ELASTIC one lends it", () => {
    // STATIC A (res 40, demand 0), ELASTIC B (res 20, demand 100) on 100:
    // pass 1: A 40, B 20; pass 2: B wants 80 more, gets the spare 40 → A 40, B 60.
    expect(divideAmongChildren(100, [claim(40, 0, { type: "STATIC" }), claim(20, 100)])).toEqual([40, 60]);
    // ELASTIC A: pass 1: A min(0,40)=0, B 20; pass 2: B +80 → A 0, B 100.
    expect(divideAmongChildren(100, [claim(40, 0), claim(20, 100)])).toEqual([0, 100]);
  });

  it("caps by limit in pass 2 and spreads leftovers by share in pass 3", () => {
    // 100 cpu; A (res 10, limit 30, demand 50), B (res 10, demand 20), shares 1:1.
    // Pass 1: A 10, B 10; spare 80.
    // Pass 2: A may grow to min(50,30)=30 (+20), B to 20 (+10); offered 40 each, both capped; spare 50.
    // Pass 3: A is at its limit; B takes the 50 → A 30, B 70.
    expect(divideAmongChildren(100, [claim(10, 50, { limit: 30 }), claim(10, 20)])).toEqual([30, 70]);
  });

  it("scales reservations down in proportion when they do not fit, STATIC first", () => {
    // 50 cpu; STATIC A 40, STATIC B 40, ELASTIC C (res 20, demand 30).
    // Static wants 80 > 50 → ×50/80: A 25, B 25; nothing left for C.
    expect(
      divideAmongChildren(50, [
        claim(40, 0, { type: "STATIC" }),
        claim(40, 0, { type: "STATIC" }),
        claim(20, 30),
      ]),
    ).toEqual([25, 25, 0]);
  });

  it("divides leftovers among pools without demand, by share", () => {
    // 100 cpu; A demand 10 share 1, B demand 0 share 4, no reservations.
    // Pass 2: A +10; spare 90. Pass 3 by 1:4: A +18, B +72 → A 28, B 72.
    expect(divideAmongChildren(100, [claim(0, 10, { share: 1 }), claim(0, 0, { share: 4 })])).toEqual([
      28, 72,
    ]);
  });
});
