import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOnHost, POD_STATES, type PodRuntime } from "../../../src/domain/pod.js";
import { RunsOnHosts } from "../../../src/engine/cache/runs-on-hosts.js";
import { podRuntime } from "../../support/records.js";

const HOSTS = ["h0", "h1", "h2"];

describe("runs on hosts", () => {
  it("always equals a count over the pods as they are now", () => {
    const change = fc.record({
      instance: fc.integer({ min: 0, max: 5 }),
      state: fc.constantFrom(...POD_STATES),
      host: fc.constantFrom(null, ...HOSTS),
      gone: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), (changes) => {
        const runs = new RunsOnHosts();
        const pods = new Map<number, PodRuntime>();
        for (const c of changes) {
          const before = pods.get(c.instance);
          const after = c.gone ? undefined : podRuntime(c.instance, { state: c.state, host: c.host });
          runs.move(before, after);
          if (after) pods.set(c.instance, after);
          else pods.delete(c.instance);
        }
        for (const h of HOSTS) {
          const expected = [...pods.values()].filter((p) => p.host === h && isOnHost(p.state)).length;
          expect(runs.on(h)).toBe(expected);
        }
      }),
    );
  });
});
