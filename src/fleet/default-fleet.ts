import type { HostSpec } from "../domain/host.js";
import { type Resources, resources } from "../domain/resources.js";
import { AppError } from "../lib/app-error.js";
import {
  DEFAULT_HOST_PREFIX,
  DEFAULT_HOSTS_PER_RACK,
  DEFAULT_PORT_RANGE,
  hostNumberWidth,
  hostnameOf,
  ipOf,
  RACK_LABEL,
  rackName,
  ZONE_LABEL,
  zoneName,
} from "./host-groups.js";

const GIB = 1024;

/** The host sizes of the default fleet (memory and disk in MB). */
export const DEFAULT_HOST_SIZES = {
  standard: resources({ cpu: 16, memory: 64 * GIB, disk: 500 * GIB }),
  large: resources({ cpu: 64, memory: 256 * GIB, disk: 2000 * GIB }),
  gpu: resources({ cpu: 32, memory: 256 * GIB, disk: 2000 * GIB, gpu: 4 }),
} as const satisfies Record<string, Resources>;

export const DEFAULT_ZONE_COUNT = 3;

/** Which size host `i` of the default fleet has: every 8th is a GPU host, every other 4th large. */
export const defaultHostSize = (i: number): keyof typeof DEFAULT_HOST_SIZES =>
  i % 8 === 7 ? "gpu" : i % 4 === 3 ? "large" : "standard";

/**
 * `count` hosts named `host-0000`, `host-0001`, …: sizes by {@link defaultHostSize}, spread
 * round-robin over zones `zone-a`…`zone-c`, 20 hosts to a rack, Mesos' port range 31000–32000.
 */
export function defaultFleet(count: number): HostSpec[] {
  if (!Number.isInteger(count) || count < 0) {
    throw AppError.invalid("count", `must be an integer >= 0, got ${count}`);
  }
  const width = hostNumberWidth(count);
  const hosts: HostSpec[] = [];
  for (let i = 0; i < count; i++) {
    const zone = zoneName(i % DEFAULT_ZONE_COUNT);
    const rack = Math.floor(Math.floor(i / DEFAULT_ZONE_COUNT) / DEFAULT_HOSTS_PER_RACK);
    hosts.push({
      hostname: hostnameOf(DEFAULT_HOST_PREFIX, i, width),
      ip: ipOf(i + 1),
      capacity: DEFAULT_HOST_SIZES[defaultHostSize(i)],
      ports: DEFAULT_PORT_RANGE,
      labels: [
        { key: ZONE_LABEL, value: zone },
        { key: RACK_LABEL, value: rackName(zone, rack) },
      ],
    });
  }
  return hosts;
}
