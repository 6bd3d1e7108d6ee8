import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PodGoal, PodState } from "../../../src/domain/pod.js";
import {
  type DrainJob,
  type DrainPod,
  drainJob,
  drainPlan,
  isUnavailable,
} from "../../../src/engine/rounds/drain-plan.js";

const D = new Set(["d1", "d2"]);
const pod = (
  instance: number,
  host: string | null,
  state: PodState = "RUNNING",
  goal: PodGoal = "RUNNING",
): DrainPod => ({
  instance,
  host,
  state,
  goal,
});
const job = (maxUnavailable: number, pods: (DrainPod | undefined)[]): DrainJob => ({
  id: "j",
  maxUnavailable,
  pods,
});
const instances = (pods: DrainPod[]) => pods.map((p) => p.instance);

describe("drainJob", () => {
  it("kills running pods on draining hosts only while the job stays within its budget", () => {
    const pods = [pod(0, "d1"), pod(1, "d1"), pod(2, "d2"), pod(3, "up"), pod(4, "up")];
    expect(instances(drainJob(job(2, pods), D))).toEqual([0, 1]);
    expect(instances(drainJob(job(1, pods), D))).toEqual([0]);
  });

  it("counts instances already down against the budget, whatever the reason", () => {
    const pods = [pod(0, "d1"), pod(1, null, "PENDING"), pod(2, "up", "KILLING"), pod(3, "up")];
    expect(drainJob(job(2, pods), D)).toEqual([]);
    expect(instances(drainJob(job(3, pods), D))).toEqual([0]);
    // A pod being killed for maintenance on the draining host counts too.
    expect(drainJob(job(1, [pod(0, "d1", "KILLING"), pod(1, "d1")]), D)).toEqual([]);
  });

  it("does not count instances the user stopped, and leaves their runs to the engine", () => {
    const pods = [
      pod(0, null, "KILLED", "KILLED"),
      pod(1, "d1", "RUNNING", "KILLED"),
      pod(2, "d1"),
      pod(3, "d1"),
    ];
    expect(instances(drainJob(job(1, pods), D))).toEqual([2]);
  });

  it("moves runs that are not RUNNING yet at no cost to the budget", () => {
    const pods = [pod(0, null, "PENDING"), pod(1, "d1", "STARTING"), pod(2, "d1", "LAUNCHING"), pod(3, "d1")];
    expect(instances(drainJob(job(1, pods), D))).toEqual([1, 2]);
    // PLACED runs have not reached their agent: the next plan sees them LAUNCHING.
    expect(drainJob(job(0, [pod(0, "d1", "PLACED")]), D)).toEqual([]);
  });

  it("takes 0 as no limit: every run on a draining host goes at once", () => {
    const pods = [pod(0, "d1"), pod(1, "d1"), pod(2, "d2"), pod(3, "up"), pod(4, null, "PENDING")];
    expect(instances(drainJob(job(0, pods), D))).toEqual([0, 1, 2]);
  });

  it("kills nothing when no host drains, or the job is over its budget already", () => {
    expect(drainPlan([job(0, [pod(0, "d1")])], new Set())).toEqual([]);
    const over = [pod(0, "d1"), pod(1, null, "FAILED"), pod(2, null, "LOST")];
    expect(drainJob(job(1, over), D)).toEqual([]);
  });

  it("plans each job on its own budget", () => {
    const plan = drainPlan(
      [
        { id: "a", maxUnavailable: 1, pods: [pod(0, "d1"), pod(1, "d1")] },
        { id: "b", maxUnavailable: 0, pods: [pod(0, "d2"), pod(1, "d2")] },
      ],
      D,
    );
    expect(plan.map((k) => `${k.jobId}-${k.pod.instance}`)).toEqual(["a-0", "b-0", "b-1"]);
  });
});

const STATES: PodState[] = [
  "INITIALIZED",
  "PENDING",
  "PLACED",
  "LAUNCHING",
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "KILLING",
  "PREEMPTING",
  "SUCCEEDED",
  "FAILED",
  "LOST",
  "KILLED",
];
const arbPod = (instance: number) =>
  fc.record({
    instance: fc.constant(instance),
    state: fc.constantFrom(...STATES),
    goal: fc.constantFrom<PodGoal>("RUNNING", "RUNNING", "RUNNING", "KILLED", "DELETED"),
    host: fc.constantFrom<string | null>(null, "d1", "d2", "up1", "up2"),
  });
const arbJob = fc.integer({ min: 0, max: 12 }).chain((n) =>
  fc.record({
    id: fc.constant("j"),
    maxUnavailable: fc.integer({ min: 0, max: 6 }),
    pods: fc.tuple(...Array.from({ length: n }, (_, i) => fc.option(arbPod(i), { nil: undefined }))),
  }),
);

/** The job after the planned kills took effect (killed runs are KILLING). */
const afterKills = (j: DrainJob, kills: DrainPod[]) => {
  const killed = new Set(kills.map((k) => k.instance));
  return [...j.pods].flatMap((p) =>
    p ? [killed.has(p.instance) ? { ...p, state: "KILLING" as const } : p] : [],
  );
};
const unavailable = (pods: Iterable<DrainPod | undefined>) =>
  [...pods].filter((p) => p && isUnavailable(p)).length;

describe("drainJob (properties)", () => {
  it("never takes a job over its budget by a kill, and kills only movable runs on draining hosts", () => {
    fc.assert(
      fc.property(arbJob, (j) => {
        const kills = drainJob(j, D);
        const before = unavailable(j.pods);
        const now = unavailable(afterKills(j, kills));
        if (j.maxUnavailable > 0) expect(now).toBeLessThanOrEqual(Math.max(before, j.maxUnavailable));
        // Only running runs cost budget, one each.
        expect(now - before).toBe(kills.filter((k) => k.state === "RUNNING").length);
        for (const k of kills) {
          expect(k.goal).toBe("RUNNING");
          expect(D.has(k.host!)).toBe(true);
          expect(["LAUNCHING", "LAUNCHED", "STARTING", "RUNNING"]).toContain(k.state);
        }
        expect(new Set(kills.map((k) => k.instance)).size).toBe(kills.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("uses the whole budget: a running run on a draining host is left only when the budget is spent", () => {
    fc.assert(
      fc.property(arbJob, (j) => {
        const kills = drainJob(j, D);
        const killed = new Set(kills.map((k) => k.instance));
        const left = [...j.pods].filter(
          (p) =>
            p && p.goal === "RUNNING" && p.state === "RUNNING" && D.has(p.host!) && !killed.has(p.instance),
        );
        if (left.length > 0) {
          expect(j.maxUnavailable).toBeGreaterThan(0);
          expect(unavailable(afterKills(j, kills))).toBeGreaterThanOrEqual(j.maxUnavailable);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("drains every host in the end when moved pods come back RUNNING elsewhere", () => {
    fc.assert(
      fc.property(arbJob, (j) => {
        // Start from a steady job (every instance RUNNING somewhere, or stopped).
        let pods: DrainPod[] = [...j.pods].flatMap((p) =>
          p
            ? [
                {
                  ...p,
                  state: p.goal === "RUNNING" ? ("RUNNING" as const) : ("KILLED" as const),
                  host: p.goal === "RUNNING" ? (p.host ?? "up1") : null,
                },
              ]
            : [],
        );
        for (let round = 0; round < 50; round++) {
          const kills = new Set(drainJob({ ...j, pods }, D).map((k) => k.instance));
          // Moved pods run on an UP host in the next round.
          pods = pods.map((p) => (kills.has(p.instance) ? { ...p, host: "up2" } : p));
          expect(unavailable(pods)).toBe(0);
        }
        expect(pods.some((p) => p.goal === "RUNNING" && D.has(p.host!))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
