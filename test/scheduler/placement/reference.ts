import type { Constraint } from "../../../src/domain/constraints.js";
import { EXCLUSIVE_LABEL } from "../../../src/domain/host.js";
import type { Label } from "../../../src/domain/labels.js";
import { RESOURCE_KINDS } from "../../../src/domain/resources.js";
import type { HostSnapshot, Placement, PlacementPod } from "../../../src/scheduler/placement/types.js";

/**
 * A reference model of placement, written apart from the scheduler's code: plain label lists
 * and loops, no indexes, no caches.
 */

interface RefHost {
  snap: HostSnapshot;
  free: Record<string, number>;
  ports: Set<number>;
  podLabels: Label[];
}

const refHosts = (hosts: readonly HostSnapshot[]): RefHost[] =>
  hosts.map((snap) => ({
    snap,
    free: Object.fromEntries(RESOURCE_KINDS.map((k) => [k, snap.spec.capacity[k] - snap.used[k]])),
    ports: new Set(snap.usedPorts),
    podLabels: [...snap.podLabels],
  }));

/** Independent evaluator: counts by scanning label lists; hostname is an implicit host label. */
const holds = (c: Constraint, h: RefHost): boolean => {
  if (c.type === "and") return c.constraints.every((x) => holds(x, h));
  if (c.type === "or") return c.constraints.some((x) => holds(x, h));
  const pool =
    c.kind === "host"
      ? [...h.snap.spec.labels, { key: "hostname", value: h.snap.spec.hostname }]
      : h.podLabels;
  const n = pool.filter((l) => l.key === c.label.key && l.value === c.label.value).length;
  return c.condition === "less_than"
    ? n < c.requirement
    : c.condition === "equal"
      ? n === c.requirement
      : n > c.requirement;
};

/** The exclusive values a pod asks for: host constraints on the exclusive label that need it present. */
const asksExclusive = (c: Constraint | undefined): string[] => {
  if (c === undefined) return [];
  if (c.type !== "label") return c.constraints.flatMap(asksExclusive);
  const present = (n: number) =>
    c.condition === "less_than"
      ? n < c.requirement
      : c.condition === "equal"
        ? n === c.requirement
        : n > c.requirement;
  return c.kind === "host" && c.label.key === EXCLUSIVE_LABEL && present(1) && !present(0)
    ? [c.label.value]
    : [];
};

const refFits = (p: PlacementPod, h: RefHost): boolean => {
  const { begin, end } = h.snap.spec.ports;
  const statics = (p.staticPorts ?? []).map((s) => s.value);
  const freeInRange = end - begin - [...h.ports].filter((x) => x >= begin && x < end).length;
  const exclusive = h.snap.spec.labels.filter((l) => l.key === EXCLUSIVE_LABEL).map((l) => l.value);
  return (
    h.snap.state === "UP" &&
    RESOURCE_KINDS.every((k) => p.resources[k] === 0 || p.resources[k] <= h.free[k]! + 1e-9) &&
    statics.every((s) => s >= begin && s < end && !h.ports.has(s)) &&
    freeInRange >= statics.length + (p.dynamicPorts ?? 0) &&
    (exclusive.length === 0 || exclusive.some((v) => asksExclusive(p.constraint).includes(v))) &&
    (p.constraint === undefined || holds(p.constraint, h))
  );
};

/**
 * Replays the plan in pod order against the reference, returning the first broken rule: a
 * placement the reference finds infeasible (over-commit, wrong state, ports, exclusive,
 * constraint), bad dynamic ports, or an unplaced pod some host could have taken.
 */
export const replay = (
  hosts: readonly HostSnapshot[],
  pods: readonly PlacementPod[],
  placements: readonly Placement[],
) => {
  const ref = refHosts(hosts);
  const byPod = new Map(placements.map((p) => [p.podId, p]));
  for (const p of pods) {
    const placed = byPod.get(p.id);
    if (placed === undefined) {
      const could = ref.find((h) => refFits(p, h));
      if (could !== undefined) return `${p.id} unplaced but ${could.snap.spec.hostname} could take it`;
      continue;
    }
    const h = ref.find((x) => x.snap.spec.hostname === placed.hostname)!;
    if (!refFits(p, h)) return `${p.id} placed on ${placed.hostname}, which cannot take it`;
    const { begin, end } = h.snap.spec.ports;
    const statics = (p.staticPorts ?? []).map((s) => s.value);
    for (const s of statics) h.ports.add(s);
    if (placed.dynamicPorts.length !== (p.dynamicPorts ?? 0))
      return `${p.id} got ${placed.dynamicPorts.length} dynamic ports`;
    for (const d of placed.dynamicPorts) {
      if (d < begin || d >= end || h.ports.has(d)) return `${p.id} got port ${d}, out of range or taken`;
      h.ports.add(d);
    }
    for (const k of RESOURCE_KINDS) h.free[k]! -= p.resources[k];
    h.podLabels.push(...(p.labels ?? []));
  }
  return "ok";
};
