import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/fleet/event-queue.js";

describe("EventQueue", () => {
  it("pops only due entries, earliest first, ties in insertion order", () => {
    const q = new EventQueue<string>();
    q.push(30, "c");
    q.push(10, "a");
    q.push(10, "b");
    q.push(50, "late");
    expect(q.peekAt()).toBe(10);
    const out: string[] = [];
    for (let e = q.popDue(40); e; e = q.popDue(40)) out.push(e.item);
    expect(out).toEqual(["a", "b", "c"]);
    expect(q.size).toBe(1);
    expect(q.popDue(49)).toBeUndefined();
  });

  it("drains in the order a stable sort by time gives", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => {
          q.push(t, i);
        });
        const drained: number[] = [];
        for (let e = q.popDue(Number.POSITIVE_INFINITY); e; e = q.popDue(Number.POSITIVE_INFINITY)) {
          drained.push(e.item);
        }
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(drained).toEqual(expected.map((x) => x.i));
      }),
    );
  });
});
