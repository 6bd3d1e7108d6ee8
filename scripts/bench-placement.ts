/**
 * Placement benchmark: builds a fleet of H hosts (zones, racks, a few exclusive and non-UP hosts,
 * some load already on them) and N pods in jobs with a mix of constraints, places them with the
 * scheduler, then times a bare first-fit loop (hosts in order from the first, state and resources
 * only) over the same snapshot. Prints progress lines and, last, one line of JSON.
 *
 *   tsx scripts/bench-placement.ts --pods 100000 --hosts 50000 [--strategy pack|spread] [--seed 1]
 *     [--sample 8] [--warmup 0]   (--warmup R: R untimed rounds of both first, to time warm code)
 */
import { parseArgs } from "node:util";
import { type Constraint, labelConstraint, orConstraint } from "../src/domain/constraints.js";
import { EXCLUSIVE_LABEL, type HostState } from "../src/domain/host.js";
import type { Label } from "../src/domain/labels.js";
import { RESOURCE_KINDS, type Resources } from "../src/domain/resources.js";
import { place } from "../src/scheduler/placement/place.js";
import { isStrategyName } from "../src/scheduler/placement/placement-strategy.js";
import type { HostSnapshot, PlacementPod } from "../src/scheduler/placement/types.js";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "100000" },
    hosts: { type: "string", default: "50000" },
    strategy: { type: "string", default: "pack" },
    seed: { type: "string", default: "1" },
    sample: { type: "string", default: "8" },
    warmup: { type: "string", default: "0" },
  },
});
const N = Number(values.pods);
const H = Number(values.hosts);
const strategy = values.strategy;
if (!isStrategyName(strategy)) throw new Error(`unknown strategy ${strategy}`);

/** mulberry32: a small seeded PRNG, so every run builds the same fleet. */
const rng = (() => {
  let a = Number(values.seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const log = (msg: string) => console.log(`[bench] ${msg}`);

const ZONES = 10;
const HOSTS_PER_RACK = 40;
const HOST_SIZES = [
  { cpu: 16, memory: 64 * 1024 },
  { cpu: 32, memory: 128 * 1024 },
  { cpu: 48, memory: 192 * 1024 },
  { cpu: 64, memory: 256 * 1024 },
] as const;
const STATE_MIX: readonly HostState[] = [...Array<HostState>(97).fill("UP"), "DRAINING", "DRAINED", "DOWN"];

const buildHosts = (): HostSnapshot[] =>
  Array.from({ length: H }, (_, i) => {
    const size = pick(HOST_SIZES);
    const gpu = rng() < 0.02 ? pick([4, 8]) : 0;
    const capacity: Resources = {
      cpu: size.cpu,
      memory: size.memory,
      disk: pick([500, 1000, 2000]) * 1024,
      gpu,
    };
    const load = rng() * 0.4;
    const used: Resources = {
      cpu: Math.floor(capacity.cpu * load),
      memory: Math.floor(capacity.memory * load),
      disk: Math.floor(capacity.disk * load * 0.5),
      gpu: 0,
    };
    const labels: Label[] = [
      { key: "zone", value: `z${i % ZONES}` },
      { key: "rack", value: `r${Math.floor(i / HOSTS_PER_RACK)}` },
    ];
    if (rng() < 0.01) labels.push({ key: EXCLUSIVE_LABEL, value: "storage" });
    const running = Math.floor(load * 10);
    return {
      spec: {
        hostname: `host-${i}`,
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        capacity,
        ports: { begin: 31000, end: 32000 },
        labels,
      },
      state: pick(STATE_MIX),
      used,
      usedPorts: Array.from({ length: running }, (_, j) => 31000 + j),
      podLabels: Array.from({ length: running }, () => ({
        key: "app",
        value: `old-${Math.floor(rng() * 500)}`,
      })),
    };
  });

/** What a job's pods ask for beyond resources: most nothing, some hosts by label, some spreading. */
const CONSTRAINT_MIX: readonly {
  readonly weight: number;
  readonly make: (job: number) => Constraint | undefined;
}[] = [
  { weight: 75, make: () => undefined },
  {
    weight: 9,
    make: () => labelConstraint("host", { key: "zone", value: `z${Math.floor(rng() * ZONES)}` }, "equal", 1),
  },
  {
    weight: 2,
    make: () =>
      orConstraint(
        labelConstraint("host", { key: "zone", value: `z${Math.floor(rng() * ZONES)}` }, "equal", 1),
        labelConstraint("host", { key: "zone", value: `z${Math.floor(rng() * ZONES)}` }, "equal", 1),
      ),
  },
  { weight: 11, make: (job) => labelConstraint("pod", { key: "app", value: `job-${job}` }, "less_than", 1) },
  { weight: 2, make: () => labelConstraint("host", { key: EXCLUSIVE_LABEL, value: "storage" }, "equal", 1) },
  { weight: 1, make: () => labelConstraint("host", { key: "zone", value: "z-missing" }, "equal", 1) },
];
const TOTAL_WEIGHT = CONSTRAINT_MIX.reduce((s, c) => s + c.weight, 0);
const pickConstraint = (job: number) => {
  let x = rng() * TOTAL_WEIGHT;
  for (const c of CONSTRAINT_MIX) {
    x -= c.weight;
    if (x < 0) return c.make(job);
  }
  return undefined;
};

const buildPods = (): PlacementPod[] => {
  const pods: PlacementPod[] = [];
  for (let job = 0; pods.length < N; job++) {
    const cpu = pick([0.5, 1, 1, 2, 2, 4, 8]);
    const resources: Resources = {
      cpu,
      memory: cpu * pick([1024, 2048, 4096]),
      disk: pick([1, 5, 10]) * 1024,
      gpu: rng() < 0.01 ? 1 : 0,
    };
    const constraint = pickConstraint(job);
    const labels: readonly Label[] = [{ key: "app", value: `job-${job}` }];
    const dynamicPorts = pick([0, 1, 1, 2]);
    const instances = Math.min(N - pods.length, 1 + Math.floor(rng() * 50));
    for (let i = 0; i < instances; i++) {
      pods.push({ id: `job-${job}-${i}`, resources, labels, constraint, dynamicPorts });
    }
  }
  return pods;
};

/** The baseline: for each pod, the first UP host (in order) with room in every kind. */
const firstFit = (hosts: readonly HostSnapshot[], pods: readonly PlacementPod[]): number => {
  const K = RESOURCE_KINDS.length;
  const free = new Float64Array(hosts.length * K);
  const up = new Uint8Array(hosts.length);
  hosts.forEach((h, i) => {
    up[i] = h.state === "UP" ? 1 : 0;
    RESOURCE_KINDS.forEach((k, j) => {
      free[i * K + j] = h.spec.capacity[k] - h.used[k];
    });
  });
  let placed = 0;
  for (const pod of pods) {
    const r = pod.resources;
    for (let h = 0; h < hosts.length; h++) {
      const b = h * K;
      if (
        up[h] === 1 &&
        r.cpu <= free[b]! &&
        r.memory <= free[b + 1]! &&
        r.disk <= free[b + 2]! &&
        r.gpu <= free[b + 3]!
      ) {
        free[b]! -= r.cpu;
        free[b + 1]! -= r.memory;
        free[b + 2]! -= r.disk;
        free[b + 3]! -= r.gpu;
        placed++;
        break;
      }
    }
  }
  return placed;
};

/** Checks the plan against the snapshot: no host over-committed, none that is not UP. */
const verify = (
  hosts: readonly HostSnapshot[],
  pods: readonly PlacementPod[],
  placements: readonly { podId: string; hostname: string }[],
) => {
  const byName = new Map(
    hosts.map((h) => [h.spec.hostname, { host: h, used: { ...h.used } as Record<string, number> }]),
  );
  const byId = new Map(pods.map((p) => [p.id, p]));
  for (const pl of placements) {
    const h = byName.get(pl.hostname)!;
    if (h.host.state !== "UP") return `pod ${pl.podId} on ${h.host.state} host`;
    for (const k of RESOURCE_KINDS) h.used[k]! += byId.get(pl.podId)!.resources[k];
  }
  for (const { host, used } of byName.values()) {
    for (const k of RESOURCE_KINDS)
      if (used[k]! > host.spec.capacity[k] + 1e-6) return `${host.spec.hostname} over-committed in ${k}`;
  }
  return "ok";
};

log(`building ${H} hosts and ${N} pods (seed ${values.seed})`);
const hosts = buildHosts();
const pods = buildPods();
for (let i = 0; i < Number(values.warmup); i++) {
  log(`warm-up round ${i + 1}`);
  place(hosts, pods, { strategy, sampleSize: Number(values.sample) });
  firstFit(hosts, pods);
}
log(`placing ${N} pods on ${H} hosts with ${strategy}`);
const t0 = performance.now();
const plan = place(hosts, pods, { strategy, sampleSize: Number(values.sample) });
const placeMs = performance.now() - t0;
log(`placed ${plan.placements.length}, unplaced ${plan.unplaced.length} in ${placeMs.toFixed(0)} ms`);
const sampleUnplaced = plan.unplaced[0];
if (sampleUnplaced) log(`e.g. ${sampleUnplaced.podId}: ${sampleUnplaced.message}`);
log(`first-fit over the same snapshot`);
const t1 = performance.now();
const ffPlaced = firstFit(hosts, pods);
const ffMs = performance.now() - t1;
log(`first-fit placed ${ffPlaced} in ${ffMs.toFixed(0)} ms`);
const check = verify(hosts, pods, plan.placements);
log(`plan check: ${check}`);

const perS = (n: number, ms: number) => Math.round(n / (ms / 1000));
const placementsPerS = perS(plan.placements.length, placeMs);
const ffPerS = perS(ffPlaced, ffMs);
console.log(
  JSON.stringify({
    pods: N,
    hosts: H,
    strategy,
    warmup_rounds: Number(values.warmup),
    placed: plan.placements.length,
    unplaced: plan.unplaced.length,
    place_ms: Math.round(placeMs),
    placements_per_s: placementsPerS,
    first_fit: "hosts in order from the first for every pod; state and resources only",
    first_fit_placed: ffPlaced,
    first_fit_ms: Math.round(ffMs),
    first_fit_placements_per_s: ffPerS,
    ratio_vs_first_fit: Number((placementsPerS / ffPerS).toFixed(3)),
    check,
  }),
);
