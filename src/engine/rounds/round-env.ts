import type { HostState } from "../../domain/host.js";
import type { KindEnv } from "../kinds/kind-env.js";
import type { EngineFleet, EngineScheduler, PlacementHost } from "../ports.js";
import type { Tick } from "../tick/tick.js";

/** What the scheduling and drain rounds use besides a kind's environment. */
export interface RoundEnv extends KindEnv {
  readonly fleet: Pick<EngineFleet, "podCount" | "agentUp" | "hosts">;
  readonly scheduler: EngineScheduler;
  readonly newVolumeId: () => string;
}

/** The hosts placement may consider, as this tick sees them: a lost agent's host is DOWN. */
export function placementHosts(tick: Tick, env: RoundEnv): PlacementHost[] {
  return env.fleet.hosts().map((h): PlacementHost => {
    const maintenance: HostState = tick.host(h.spec.hostname)?.state ?? "UP";
    return { spec: h.spec, state: h.state === "DOWN" ? "DOWN" : maintenance };
  });
}

/** Hosts whose pods are being moved off (DRAINING), as this tick sees them. */
export function drainingHosts(tick: Tick): ReadonlySet<string> {
  if (tick.hosts.size === 0) return tick.cache.drainingHosts;
  const out = new Set(tick.cache.drainingHosts);
  for (const h of tick.hosts.values()) {
    if (h.state === "DRAINING") out.add(h.hostname);
    else out.delete(h.hostname);
  }
  return out;
}
