import { describe, expect, it } from "vitest";
import {
  andConstraint,
  type Constraint,
  constraintKey,
  hostOnlyPart,
  labelConstraint,
  orConstraint,
} from "../../../src/domain/constraints.js";
import { EXCLUSIVE_LABEL } from "../../../src/domain/host.js";
import { MAX_RESTRICTED_INDEXES } from "../../../src/scheduler/placement/index-set.js";
import { place } from "../../../src/scheduler/placement/place.js";
import type { PlacementPod } from "../../../src/scheduler/placement/types.js";
import { host, pod } from "./harness.js";
import { replay } from "./reference.js";

/** mulberry32, so the fleet and the batch are the same on every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const HOSTS = 200;

/** Every 20th host is exclusive, and big enough to still have room late in the batch. */
const isExclusive = (i: number) => i % 20 === 3;

const fleet = (rand: () => number) =>
  Array.from({ length: HOSTS }, (_, i) =>
    host(`h${i}`, {
      cpu: isExclusive(i) ? 128 : [4, 8, 16][i % 3],
      memory: isExclusive(i) ? 131072 : [4096, 8192, 16384][i % 3],
      gpu: i % 25 === 0 ? 2 : 0,
      state: i % 40 === 7 ? "DOWN" : "UP",
      used: { cpu: Math.floor(rand() * 3), memory: Math.floor(rand() * 2048) },
      labels: {
        zone: `z${i % 4}`,
        rack: `r${Math.floor(i / 10)}`,
        ...(isExclusive(i) ? { [EXCLUSIVE_LABEL]: "x" } : {}),
      },
      ports: { begin: 31000, end: isExclusive(i) ? 31400 : 31010 },
    }),
  );

/**
 * Jobs with many distinct host-only constraints (more than the restricted-index cap, so later
 * ones use the shared index), exclusive requests made unique per job, anti-affinity and affinity.
 */
const batch = (rand: () => number): PlacementPod[] => {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const shapes: ((job: number) => Constraint | undefined)[] = [
    () => undefined,
    () => labelConstraint("host", { key: "zone", value: pick(["z0", "z1", "z2", "z3"]) }, "equal", 1),
    (job) =>
      andConstraint(
        labelConstraint("host", { key: "rack", value: `r${job % 20}` }, "equal", 1),
        labelConstraint("host", { key: "zone", value: `z${job % 3}` }, "less_than", 1),
      ),
    (job) =>
      andConstraint(
        labelConstraint("host", { key: EXCLUSIVE_LABEL, value: "x" }, "equal", 1),
        labelConstraint("host", { key: "hostname", value: `h${job % HOSTS}` }, "less_than", 1),
      ),
    (job) => labelConstraint("pod", { key: "app", value: `job-${job}` }, "less_than", 1),
    (job) =>
      orConstraint(
        labelConstraint("pod", { key: "app", value: `job-${job - 1}` }, "greater_than", 0),
        labelConstraint("host", { key: "zone", value: "z9" }, "equal", 1),
      ),
  ];
  const pods: PlacementPod[] = [];
  for (let job = 0; pods.length < 2000; job++) {
    const constraint = pick(shapes)(job);
    const cpu = pick([0.5, 1, 2]);
    const memory = pick([256, 512, 1024]);
    const gpu = rand() < 0.03 ? 1 : 0;
    const dynamicPorts = pick([0, 0, 1, 2]);
    const count = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < count; i++) {
      pods.push(
        pod(`job-${job}-${i}`, { cpu, memory, gpu, dynamicPorts, constraint, labels: { app: `job-${job}` } }),
      );
    }
  }
  return pods;
};

describe("place at scale (200 hosts, 2000 pods)", () => {
  for (const strategy of ["pack", "spread"] as const) {
    it(`keeps every rule and places whatever some host could take (${strategy})`, () => {
      const rand = prng(7);
      const hosts = fleet(rand);
      const pods = batch(rand);
      const hostParts = pods.flatMap((p) => {
        const part = p.constraint && hostOnlyPart(p.constraint);
        return part ? [constraintKey(part)] : [];
      });
      expect(new Set(hostParts).size).toBeGreaterThan(MAX_RESTRICTED_INDEXES + 20);
      const plan = place(hosts, pods, { strategy });
      expect(replay(hosts, pods, plan.placements)).toBe("ok");
      expect(plan.placements.length).toBeGreaterThan(1000);
      expect(plan.unplaced.length).toBeGreaterThan(0);
    });
  }
});
