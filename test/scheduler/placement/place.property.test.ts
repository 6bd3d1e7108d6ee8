import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Constraint, ConstraintCondition, ConstraintKind } from "../../../src/domain/constraints.js";
import { EXCLUSIVE_LABEL, HOST_STATES } from "../../../src/domain/host.js";
import type { Label } from "../../../src/domain/labels.js";
import { RESOURCE_KINDS, resources } from "../../../src/domain/resources.js";
import { ConstraintCompiler } from "../../../src/scheduler/placement/compiled-constraint.js";
import { feasible, firstFailure } from "../../../src/scheduler/placement/host-filters.js";
import { HostTable } from "../../../src/scheduler/placement/host-table.js";
import { place, placeInSlices } from "../../../src/scheduler/placement/place.js";
import { PodPreparer } from "../../../src/scheduler/placement/prepared-pod.js";
import type { HostSnapshot, PlacementPod } from "../../../src/scheduler/placement/types.js";
import { replay } from "./reference.js";

// ---- generators: small vocabularies so that labels, ports and hosts collide often ----

const LABELS: readonly Label[] = [
  { key: "zone", value: "a" },
  { key: "zone", value: "b" },
  { key: "rack", value: "r1" },
  { key: "app", value: "web" },
  { key: "app", value: "db" },
  { key: EXCLUSIVE_LABEL, value: "x" },
];
const HOSTNAMES = ["h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9"];

const labelArb = fc.constantFrom(
  ...LABELS,
  { key: "hostname", value: "h1" },
  { key: "hostname", value: "h2" },
);

const constraintArb: fc.Arbitrary<Constraint> = fc.letrec<{ c: Constraint }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc
      .record({
        kind: fc.constantFrom<ConstraintKind>("pod", "host"),
        test: fc.constantFrom<[ConstraintCondition, number]>(
          ["less_than", 1],
          ["less_than", 2],
          ["equal", 1],
          ["equal", 0],
          ["greater_than", 0],
          ["greater_than", 1],
        ),
        label: labelArb,
      })
      .map(({ kind, test: [condition, requirement], label }) => ({
        type: "label" as const,
        kind,
        condition,
        label,
        requirement,
      })),
    fc.record({ type: fc.constant("and" as const), constraints: fc.array(tie("c"), { maxLength: 3 }) }),
    fc.record({ type: fc.constant("or" as const), constraints: fc.array(tie("c"), { maxLength: 3 }) }),
  ),
})).c;

const amounts = (most: number) => fc.integer({ min: 0, max: most });

const hostLabelsArb = fc
  .record({
    zone: fc.constantFrom("a", "b", undefined),
    rack: fc.boolean(),
    exclusive: fc.oneof(
      { arbitrary: fc.constant(false), weight: 5 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
  })
  .map(({ zone, rack, exclusive }) => [
    ...(zone === undefined ? [] : [{ key: "zone", value: zone }]),
    ...(rack ? [{ key: "rack", value: "r1" }] : []),
    ...(exclusive ? [{ key: EXCLUSIVE_LABEL, value: "x" }] : []),
  ]);

const hostsArb = fc
  .array(
    fc.record({
      cpu: amounts(16),
      memory: amounts(64),
      gpu: fc.constantFrom(0, 0, 2),
      usedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      state: fc.oneof(
        { arbitrary: fc.constant("UP" as const), weight: 6 },
        { arbitrary: fc.constantFrom(...HOST_STATES), weight: 1 },
      ),
      labels: hostLabelsArb,
      portBegin: fc.integer({ min: 100, max: 102 }),
      portCount: fc.integer({ min: 0, max: 8 }),
      usedPorts: fc.array(fc.integer({ min: 98, max: 110 }), { maxLength: 3 }),
      podLabels: fc.array(fc.constantFrom(...LABELS.filter((l) => l.key === "app")), { maxLength: 3 }),
    }),
    { maxLength: 10 },
  )
  .map((hs) =>
    hs.map(
      (h, i): HostSnapshot => ({
        spec: {
          hostname: HOSTNAMES[i]!,
          ip: "10.0.0.1",
          capacity: resources({ cpu: h.cpu, memory: h.memory, disk: 10, gpu: h.gpu }),
          ports: { begin: h.portBegin, end: h.portBegin + h.portCount },
          labels: h.labels,
        },
        state: h.state,
        used: resources({ cpu: Math.floor(h.cpu * h.usedShare), memory: Math.floor(h.memory * h.usedShare) }),
        usedPorts: h.usedPorts,
        podLabels: h.podLabels,
      }),
    ),
  );

/** Pods come from a few templates (like instances of a job), so identical pods meet often. */
const podsArb = fc
  .record({
    templates: fc.array(
      fc.record({
        cpu: fc.constantFrom(0, 0.5, 1, 1, 2, 4),
        memory: amounts(8),
        gpu: fc.constantFrom(0, 0, 0, 0, 0, 1),
        labels: fc.subarray(LABELS.filter((l) => l.key === "app")),
        constraint: fc.option(constraintArb, { nil: undefined, freq: 2 }),
        staticPorts: fc.oneof(
          { arbitrary: fc.constant<number[]>([]), weight: 4 },
          { arbitrary: fc.subarray([101, 103]), weight: 1 },
        ),
        dynamicPorts: fc.constantFrom(0, 0, 1, 2),
        desiredHost: fc.option(fc.constantFrom(...HOSTNAMES.slice(0, 4)), { nil: undefined, freq: 3 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    picks: fc.array(fc.nat(), { maxLength: 25 }),
  })
  .map(({ templates, picks }) =>
    picks.map((n, i): PlacementPod => {
      const p = templates[n % templates.length]!;
      return {
        id: `p${i}`,
        resources: resources({ cpu: p.cpu, memory: p.memory, gpu: p.gpu }),
        labels: p.labels,
        constraint: p.constraint,
        staticPorts: p.staticPorts.map((value) => ({ name: `port-${value}`, value })),
        dynamicPorts: p.dynamicPorts,
        desiredHost: p.desiredHost,
      };
    }),
  );

const optionsArb = fc.record({
  strategy: fc.constantFrom("pack" as const, "spread" as const),
  sampleSize: fc.integer({ min: 1, max: 8 }),
});

describe("placement properties", () => {
  it("never over-commits a host, uses only UP hosts, and satisfies every constraint (reference replay)", () => {
    fc.assert(
      fc.property(hostsArb, podsArb, optionsArb, (hosts, pods, options) => {
        const plan = place(hosts, pods, options);
        expect(replay(hosts, pods, plan.placements)).toBe("ok");
        expect(plan.placements.length + plan.unplaced.length).toBe(pods.length);
      }),
      { numRuns: 400 },
    );
  });

  it("placing in slices makes the same plan as placing the batch at once", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostsArb,
        podsArb,
        optionsArb,
        fc.integer({ min: 1, max: 7 }),
        async (hosts, pods, options, slice) => {
          let pauses = 0;
          const sliced = await placeInSlices(hosts, pods, {
            ...options,
            slice,
            pause: async () => {
              pauses++;
            },
          });
          expect(sliced).toEqual(place(hosts, pods, options));
          expect(pauses).toBe(Math.max(0, Math.ceil(pods.length / slice) - 1));
        },
      ),
    );
  });

  it("over the whole plan, no host ends up over capacity in any kind", () => {
    fc.assert(
      fc.property(hostsArb, podsArb, optionsArb, (hosts, pods, options) => {
        const plan = place(hosts, pods, options);
        const byId = new Map(pods.map((p) => [p.id, p]));
        for (const h of hosts) {
          const mine = plan.placements.filter((p) => p.hostname === h.spec.hostname);
          if (mine.length > 0) expect(h.state).toBe("UP");
          for (const k of RESOURCE_KINDS) {
            const added = mine.reduce((s, p) => s + byId.get(p.podId)!.resources[k], 0);
            const room = Math.max(0, h.spec.capacity[k] - h.used[k]);
            expect(added).toBeLessThanOrEqual(room + 1e-6);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("gives every unplaced pod reasons that cover every host once", () => {
    fc.assert(
      fc.property(hostsArb, podsArb, (hosts, pods) => {
        for (const u of place(hosts, pods).unplaced) {
          expect(u.reasons.reduce((s, r) => s + r.hosts, 0)).toBe(hosts.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the fused feasibility check agrees with the filter table", () => {
    fc.assert(
      fc.property(hostsArb, podsArb, (hosts, pods) => {
        const table = new HostTable(hosts);
        const preparer = new PodPreparer(table, new ConstraintCompiler(table));
        for (const pod of pods) {
          const p = preparer.prepare(pod);
          for (let h = 0; h < table.size; h++) {
            expect(feasible(table, h, p)).toBe(firstFailure(table, h, p) === undefined);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
