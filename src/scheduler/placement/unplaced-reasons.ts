import { firstFailure } from "./host-filters.js";
import type { HostTable } from "./host-table.js";
import type { PreparedPod } from "./prepared-pod.js";
import type { ReasonCount } from "./types.js";

export type Diagnosis =
  | { readonly feasibleHost: number }
  | { readonly reasons: readonly ReasonCount[]; readonly message: string };

/** Writes reasons out, e.g. `cpu exhausted on 40 hosts; constraint pod app=web < 1 on 8 hosts`. */
export const reasonMessage = (reasons: readonly ReasonCount[]): string =>
  reasons.length === 0
    ? "no hosts"
    : reasons.map((r) => `${r.reason} on ${r.hosts} host${r.hosts === 1 ? "" : "s"}`).join("; ");

/**
 * Runs every host through the filters for a pod, counting each host under the first filter it
 * fails; most common reason first. Stops at the first host that passes them all.
 */
export const diagnose = (t: HostTable, p: PreparedPod): Diagnosis => {
  const counts = new Map<string, number>();
  for (let h = 0; h < t.size; h++) {
    const why = firstFailure(t, h, p);
    if (why === undefined) return { feasibleHost: h };
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const reasons = [...counts]
    .map(([reason, hosts]) => ({ reason, hosts }))
    .sort((a, b) => b.hosts - a.hosts || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return { reasons, message: reasonMessage(reasons) };
};
