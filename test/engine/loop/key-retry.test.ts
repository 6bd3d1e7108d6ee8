import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyRetry } from "../../../src/engine/loop/key-retry.js";

describe("per-key retry", () => {
  it("doubles each key's delay with each failure in a row, up to the cap", () => {
    const retry = new KeyRetry<string>(100, 1_000);
    expect([1, 2, 3, 4, 5, 6].map(() => retry.fail("a"))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(retry.failures("a")).toBe(6);
  });

  it("keeps each key's failures to itself, and forgets them when the key succeeds", () => {
    const retry = new KeyRetry<string>(100, 1_000);
    retry.fail("a");
    retry.fail("a");
    expect(retry.fail("b")).toBe(100);
    expect(retry.size).toBe(2);
    retry.succeed("a");
    expect(retry.failures("a")).toBe(0);
    expect(retry.failures("b")).toBe(1);
    expect(retry.size).toBe(1);
    expect(retry.fail("a")).toBe(100);
    retry.succeed("never-failed");
    expect(retry.size).toBe(2);
  });

  it("always answers min(base·2^(n−1), cap) for a key's n-th failure in a row", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.constantFrom("a", "b", "ok-a", "ok-b"), { maxLength: 80 }),
        (base, cap, events) => {
          const retry = new KeyRetry<string>(base, cap);
          const streak = new Map<string, number>();
          for (const e of events) {
            if (e.startsWith("ok-")) {
              retry.succeed(e.slice(3));
              streak.delete(e.slice(3));
              continue;
            }
            const n = (streak.get(e) ?? 0) + 1;
            streak.set(e, n);
            expect(retry.fail(e)).toBe(Math.min(base * 2 ** (n - 1), cap));
          }
          expect(retry.size).toBe(streak.size);
        },
      ),
    );
  });
});
