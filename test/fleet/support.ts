import type { HostSpec } from "../../src/domain/host.js";
import { type Resources, resources } from "../../src/domain/resources.js";
import type { ContainerLaunch, FleetEvent, PodLaunch, PodStatusUpdate } from "../../src/fleet/ports.js";
import { SimulatedFleet, type SimulatedFleetOptions } from "../../src/fleet/simulated-fleet.js";
import { ManualClock } from "../../src/lib/clock.js";

export const TIMINGS = {
  launchDelayMs: 100,
  startingDelayMs: 50,
  startDelayMs: 200,
  killDelayMs: 300,
} as const;
/** When a run launched at 0 with TIMINGS reaches RUNNING. */
export const RUNNING_AT = 350;

export const host = (hostname: string, capacity: Partial<Resources> = {}): HostSpec => ({
  hostname,
  ip: "10.0.0.1",
  capacity: resources({ cpu: 4, memory: 4096, disk: 10_000, gpu: 0, ...capacity }),
  ports: { begin: 31000, end: 31010 },
  labels: [{ key: "zone", value: "zone-a" }],
});

export const pod = (
  podId: string,
  command: string,
  more: Partial<Omit<PodLaunch, "podId">> & { check?: ContainerLaunch["livenessCheck"] } = {},
): PodLaunch => ({
  podId,
  hostname: more.hostname ?? "h1",
  resources: more.resources ?? resources({ cpu: 1, memory: 512 }),
  ports: more.ports ?? {},
  containers: more.containers ?? [{ name: "main", command, livenessCheck: more.check }],
});

/** A fleet on a ManualClock starting at 0, with a recorder of every delivered batch. */
export function harness(options: Partial<SimulatedFleetOptions> = {}) {
  const clock = new ManualClock(0);
  const fleet = new SimulatedFleet({ clock, hosts: [host("h1"), host("h2")], ...TIMINGS, ...options });
  const batches: (readonly FleetEvent[])[] = [];
  fleet.subscribe((events) => batches.push(events));
  const events = () => batches.flat();
  const updates = (podId?: string): PodStatusUpdate[] =>
    events().filter(
      (e): e is PodStatusUpdate => e.kind === "pod" && (podId === undefined || e.podId === podId),
    );
  /** `[state, at]` pairs of one pod's updates. */
  const timeline = (podId: string) => updates(podId).map((u) => [u.state, u.at] as const);
  return { clock, fleet, batches, events, updates, timeline };
}
