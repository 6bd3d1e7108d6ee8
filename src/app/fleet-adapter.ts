import type { EngineFleet } from "../engine/ports.js";
import type { SimulatedFleet } from "../fleet/simulated-fleet.js";

/** The simulated fleet behind the engine's port. */
export function fleetAdapter(fleet: SimulatedFleet): EngineFleet {
  return {
    launch: (pods) => fleet.launch(pods),
    kill: (pods) => fleet.kill(pods),
    reconcile: (podIds) => fleet.reconcile(podIds),
    subscribe: (listener) => fleet.subscribe((events) => listener(events)),
    hosts: () => fleet.listHosts(),
    podCount: (hostname) => fleet.getHost(hostname)?.podCount ?? 0,
    agentUp: (hostname) => fleet.getHost(hostname)?.state === "UP",
    takeDown: (hostname) => fleet.hostDown(hostname, "host is in maintenance"),
    bringUp: (hostname) => fleet.hostUp(hostname),
  };
}
