import type { HostRecord } from "../../domain/host.js";
import { AppError } from "../../lib/app-error.js";
import { decideHost } from "../kinds/host/decide-host.js";
import type { Tick } from "../tick/tick.js";
import type { Command } from "./command.js";

/** The hosts a maintenance call names: at least one, each known and passing `ok`, or nothing changes. */
function known(tick: Tick, hostnames: readonly string[], ok: (h: HostRecord) => boolean, rule: string) {
  if (hostnames.length === 0) throw AppError.invalid("hostnames", "must name at least one host");
  return [...new Set(hostnames)].map((name) => {
    const h = tick.host(name);
    if (!h || !ok(h)) throw AppError.notFound(`host ${name} ${h ? rule : "does not exist"}`);
    return h;
  });
}

/**
 * StartMaintenance: UP hosts go DRAINING (others keep their state) and as far on as their pods
 * allow in this same tick: an empty host is DOWN once the call answers. Every name must be a
 * known host, or nothing changes (NOT_FOUND).
 */
export const startMaintenance =
  (hostnames: readonly string[]): Command<void> =>
  (tick, env) => {
    for (const h of known(tick, hostnames, () => true, "does not exist")) {
      if (h.state !== "UP") continue;
      tick.stageHost({ ...h, goal: "DOWN", updatedAt: tick.now });
      decideHost(tick, h.hostname, env);
    }
  };

/** CompleteMaintenance: DOWN hosts come back UP; every name must be a known DOWN host, or nothing changes. */
export const completeMaintenance =
  (hostnames: readonly string[]): Command<void> =>
  (tick, env) => {
    for (const h of known(tick, hostnames, (x) => x.state === "DOWN", "is not DOWN (in maintenance)")) {
      tick.stageHost({ ...h, goal: "UP", updatedAt: tick.now });
      decideHost(tick, h.hostname, env);
    }
  };
