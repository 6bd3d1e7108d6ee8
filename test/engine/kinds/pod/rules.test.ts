import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POD_GOALS, POD_STATES, type PodRuntime, TERMINATION_REASONS } from "../../../../src/domain/pod.js";
import {
  type ConfigFreshness,
  freshnessOf,
  POD_ACTION_TABLE,
  POD_ACTIONS,
  podActionFor,
} from "../../../../src/engine/kinds/pod/rules.js";
import { DEFAULT_TIMINGS } from "../../../../src/engine/ports.js";
import { podRuntime, podTemplate } from "../../../support/records.js";

const FRESHNESS: readonly ConfigFreshness[] = ["current", "outdated"];

const arbitraryPod: fc.Arbitrary<PodRuntime> = fc
  .record({
    state: fc.constantFrom(...POD_STATES),
    goal: fc.constantFrom(...POD_GOALS),
    runId: fc.integer({ min: 1, max: 50 }),
    configVersion: fc.integer({ min: 1, max: 3 }),
    desiredConfigVersion: fc.integer({ min: 1, max: 3 }),
    host: fc.constantFrom(null, "h0", "h1"),
    failureCount: fc.nat({ max: 40 }),
    terminationReason: fc.constantFrom(null, ...TERMINATION_REASONS),
    updatedAt: fc.integer({ min: 0, max: 10_000_000 }),
    completedAt: fc.option(fc.integer({ min: 0, max: 10_000_000 })),
    revision: fc.integer({ min: 1, max: 1_000 }),
  })
  .map((over) => podRuntime(0, over));

describe("the pod rules table", () => {
  it("names an action that exists for every freshness, goal and state, and nothing else", () => {
    for (const freshness of FRESHNESS) {
      expect(Object.keys(POD_ACTION_TABLE[freshness]).sort()).toEqual([...POD_GOALS].sort());
      for (const goal of POD_GOALS) {
        expect(Object.keys(POD_ACTION_TABLE[freshness][goal]).sort()).toEqual([...POD_STATES].sort());
        for (const state of POD_STATES)
          expect(POD_ACTIONS).toHaveProperty(POD_ACTION_TABLE[freshness][goal][state]);
      }
    }
  });

  it("answers an action of POD_ACTIONS for any pod, and never throws", () => {
    fc.assert(
      fc.property(arbitraryPod, (pod) => {
        const action = podActionFor(pod);
        expect(Object.keys(POD_ACTIONS)).toContain(action);
        expect(action).toBe(POD_ACTION_TABLE[freshnessOf(pod)][pod.goal][pod.state]);
      }),
    );
  });

  it("compares the run's configuration version with the desired one", () => {
    expect(freshnessOf(podRuntime(0, { configVersion: 2, desiredConfigVersion: 2 }))).toBe("current");
    expect(freshnessOf(podRuntime(0, { configVersion: 1, desiredConfigVersion: 2 }))).toBe("outdated");
  });

  it.each([
    ["current", "RUNNING", "INITIALIZED", "enqueue"],
    ["current", "RUNNING", "PENDING", "wait"],
    ["current", "RUNNING", "PLACED", "launch"],
    ["current", "RUNNING", "LAUNCHING", "checkLaunch"],
    ["current", "RUNNING", "STARTING", "wait"],
    ["current", "RUNNING", "RUNNING", "done"],
    ["current", "RUNNING", "KILLING", "checkKill"],
    ["current", "RUNNING", "PREEMPTING", "checkKill"],
    ["current", "RUNNING", "FAILED", "restart"],
    ["current", "RUNNING", "LOST", "restart"],
    ["current", "RUNNING", "SUCCEEDED", "restart"],
    ["current", "RUNNING", "DELETED", "invalid"],
    ["current", "KILLED", "PENDING", "release"],
    ["current", "KILLED", "PLACED", "release"],
    ["current", "KILLED", "RUNNING", "kill"],
    ["current", "KILLED", "LAUNCHING", "kill"],
    ["current", "KILLED", "KILLING", "checkKill"],
    ["current", "KILLED", "KILLED", "done"],
    ["current", "DELETED", "RUNNING", "kill"],
    ["current", "DELETED", "FAILED", "done"],
    ["outdated", "RUNNING", "RUNNING", "update"],
    ["outdated", "RUNNING", "STARTING", "update"],
    ["outdated", "RUNNING", "LAUNCHED", "update"],
    ["outdated", "RUNNING", "LAUNCHING", "update"],
    ["outdated", "RUNNING", "PLACED", "retarget"],
    ["outdated", "RUNNING", "PENDING", "retarget"],
    ["outdated", "RUNNING", "INITIALIZED", "retarget"],
    ["outdated", "RUNNING", "KILLING", "checkKill"],
    ["outdated", "RUNNING", "FAILED", "restart"],
    ["outdated", "RUNNING", "KILLED", "restart"],
    ["outdated", "KILLED", "RUNNING", "kill"],
    ["outdated", "KILLED", "PENDING", "release"],
    ["outdated", "DELETED", "KILLED", "done"],
  ] as const)("%s, goal %s, %s → %s", (freshness, goal, state, action) => {
    const pod = podRuntime(0, {
      goal,
      state,
      configVersion: 1,
      desiredConfigVersion: freshness === "current" ? 1 : 2,
    });
    expect(podActionFor(pod)).toBe(action);
  });

  it("treats an outdated pod that should stop like a current one: there is nothing to update", () => {
    for (const goal of ["KILLED", "DELETED"] as const)
      expect(POD_ACTION_TABLE.outdated[goal]).toEqual(POD_ACTION_TABLE.current[goal]);
  });

  it("has every action keep the pod's identity, bump its revision, stamp it now and look again no earlier", () => {
    fc.assert(
      fc.property(arbitraryPod, fc.integer({ min: 0, max: 20_000_000 }), (pod, now) => {
        const step = POD_ACTIONS[podActionFor(pod)]({
          pod,
          template: podTemplate({ killGracePeriodMs: 1_000 }),
          now,
          timings: DEFAULT_TIMINGS,
        });
        if (step.pod) {
          expect(step.pod).toMatchObject({
            jobId: pod.jobId,
            instance: 0,
            revision: pod.revision + 1,
            updatedAt: now,
          });
          expect([pod.runId, pod.runId + 1]).toContain(step.pod.runId);
        }
        if (step.recheckAt !== undefined) expect(step.recheckAt).toBeGreaterThanOrEqual(now);
        if (step.launch) expect(step.pod?.state).toBe("LAUNCHING");
      }),
    );
  });
});
