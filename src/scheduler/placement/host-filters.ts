import { EXCLUSIVE_LABEL, HOST_STATES, type HostState } from "../../domain/host.js";
import { EPSILON, RESOURCE_KINDS } from "../../domain/resources.js";
import { failureReason } from "./compiled-constraint.js";
import { type HostTable, KINDS } from "./host-table.js";
import type { PreparedPod } from "./prepared-pod.js";

/** One feasibility test, and what to say about a host that fails it. */
export interface HostFilter {
  readonly name: string;
  readonly passes: (t: HostTable, h: number, p: PreparedPod) => boolean;
  readonly reason: (t: HostTable, h: number, p: PreparedPod) => string;
}

const STATE_REASONS = Object.fromEntries(HOST_STATES.map((s) => [s, `host ${s}`])) as Record<
  HostState,
  string
>;

const hasRoom = (t: HostTable, h: number, p: PreparedPod, k: number): boolean => {
  const need = p.request[k]!;
  return need === 0 || need <= t.free[h * KINDS + k]! + EPSILON;
};

const resourceFilter = (k: number): HostFilter => {
  const reason = `${RESOURCE_KINDS[k]} exhausted`;
  return { name: RESOURCE_KINDS[k]!, passes: (t, h, p) => hasRoom(t, h, p, k), reason: () => reason };
};

const exclusiveOk = (t: HostTable, h: number, p: PreparedPod): boolean => {
  const values = t.exclusive[h];
  return values === undefined || values.some((v) => p.exclusive.includes(v));
};

/** The feasibility filters, cheapest first. A host must pass them all. */
export const HOST_FILTERS: readonly HostFilter[] = [
  { name: "state", passes: (t, h) => t.up[h] === 1, reason: (t, h) => STATE_REASONS[t.states[h]!] },
  ...RESOURCE_KINDS.map((_, k) => resourceFilter(k)),
  {
    name: "ports",
    passes: (t, h, p) => t.portsFit(h, p.staticPorts, p.dynamicPorts),
    reason: () => "ports unavailable",
  },
  {
    name: "exclusive",
    passes: exclusiveOk,
    reason: (t, h) => `exclusive host (${EXCLUSIVE_LABEL}=${t.exclusive[h]!.join("|")})`,
  },
  {
    name: "constraint",
    passes: (_, h, p) => p.constraint === undefined || p.constraint.root.holds(h),
    reason: (_, h, p) => failureReason(p.constraint!.root, h),
  },
];

/**
 * True when host h passes every filter in HOST_FILTERS. The search calls this for every host it
 * looks at, so the filters are written out here in the same order rather than looped over.
 */
export const feasible = (t: HostTable, h: number, p: PreparedPod): boolean => {
  if (t.up[h] !== 1) return false;
  const base = h * KINDS;
  const r = p.request;
  const free = t.free;
  for (let k = 0; k < KINDS; k++) {
    const need = r[k]!;
    if (need !== 0 && need > free[base + k]! + EPSILON) return false;
  }
  if ((p.dynamicPorts > 0 || p.staticPorts.length > 0) && !t.portsFit(h, p.staticPorts, p.dynamicPorts))
    return false;
  if (t.exclusive[h] !== undefined && !exclusiveOk(t, h, p)) return false;
  return p.constraint === undefined || p.constraint.root.holds(h);
};

/** Why host h cannot take the pod (its first failing filter); undefined when it can. */
export const firstFailure = (t: HostTable, h: number, p: PreparedPod): string | undefined => {
  for (const f of HOST_FILTERS) if (!f.passes(t, h, p)) return f.reason(t, h, p);
  return undefined;
};
