import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POD_STATES, type PodRuntime } from "../../../src/domain/pod.js";
import { PodCounts } from "../../../src/engine/cache/pod-counts.js";
import { podRuntime } from "../../support/records.js";

/** Counts of `key` over the pods, without the zeros. */
const recount = (pods: Iterable<PodRuntime>, key: (p: PodRuntime) => string | number) => {
  const out: Record<string, number> = {};
  for (const p of pods) out[key(p)] = (out[key(p)] ?? 0) + 1;
  return out;
};

describe("pod counts", () => {
  it("always equal a count over the pods as they are now, by state and by configuration version", () => {
    const change = fc.record({
      instance: fc.integer({ min: 0, max: 6 }),
      state: fc.constantFrom(...POD_STATES),
      configVersion: fc.integer({ min: 1, max: 3 }),
      gone: fc.boolean(),
      same: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 80 }), (changes) => {
        const counts = new PodCounts();
        const pods = new Map<number, PodRuntime>();
        for (const c of changes) {
          const before = pods.get(c.instance);
          // The cache may hand the same runtime again (a reload of an unchanged row): no change.
          const after = c.gone
            ? undefined
            : c.same && before
              ? before
              : podRuntime(c.instance, { state: c.state, configVersion: c.configVersion });
          counts.move(before, after);
          if (after) pods.set(c.instance, after);
          else pods.delete(c.instance);
          const byState = recount(pods.values(), (p) => p.state);
          expect(counts.byState()).toEqual(byState);
          expect(counts.byVersion()).toEqual(recount(pods.values(), (p) => p.configVersion));
          expect(counts.total).toBe(pods.size);
          expect(counts.inState(c.state)).toBe(byState[c.state] ?? 0);
        }
      }),
    );
  });
});
