import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs } from "../../src/lib/backoff.js";
import { DeadlineQueue } from "../../src/lib/deadline-queue.js";

describe("DeadlineQueue", () => {
  it("keeps one entry per id, the earliest deadline winning", () => {
    const q = new DeadlineQueue<string>();
    q.enqueue("a", 50);
    q.enqueue("b", 20);
    expect(q.enqueue("a", 10)).toBe(true);
    expect(q.enqueue("a", 40)).toBe(false);
    expect(q.size).toBe(2);
    expect(q.peek()).toBe(10);
    expect(q.popDue(15)).toEqual(["a"]);
    expect(q.popDue(100)).toEqual(["b"]);
    expect(q.size).toBe(0);
  });

  it("pops everything due, in deadline order, for any schedule", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1000 }))),
        fc.integer({ min: 0, max: 1000 }),
        (ops, now) => {
          const q = new DeadlineQueue<number>();
          const earliest = new Map<number, number>();
          for (const [id, at] of ops) {
            q.enqueue(id, at);
            earliest.set(id, Math.min(earliest.get(id) ?? Number.POSITIVE_INFINITY, at));
          }
          const due = q.popDue(now);
          const expected = [...earliest].filter(([, at]) => at <= now).sort((x, y) => x[1] - y[1]);
          expect(due.map((id) => earliest.get(id))).toEqual(expected.map(([, at]) => at));
          expect(new Set(due)).toEqual(new Set(expected.map(([id]) => id)));
          expect(q.size).toBe(earliest.size - due.length);
        },
      ),
    );
  });

  it("forgets deleted ids", () => {
    const q = new DeadlineQueue<string>();
    q.enqueue("a", 1);
    q.delete("a");
    expect(q.popDue(10)).toEqual([]);
    expect(q.peek()).toBeUndefined();
  });
});

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, 30_000, 3_600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000,
    ]);
    expect(backoffMs(0, 10, 100)).toBe(0);
    expect(backoffMs(10_000, 10, 100)).toBe(100);
  });
});
