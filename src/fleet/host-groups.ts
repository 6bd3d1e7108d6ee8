import { EXCLUSIVE_LABEL, type HostSpec, type PortRange } from "../domain/host.js";
import type { Label } from "../domain/labels.js";
import type { Resources } from "../domain/resources.js";

/** Label keys the simulated hosts carry for their zone and rack. */
export const ZONE_LABEL = "zone";
export const RACK_LABEL = "rack";

/** Mesos agents offer ports 31000-32000 by default. */
export const DEFAULT_PORT_RANGE: PortRange = Object.freeze({ begin: 31000, end: 32000 });
export const DEFAULT_HOST_PREFIX = "host-";
export const DEFAULT_HOSTS_PER_RACK = 20;

/** A batch of identical hosts, spread round-robin over zones and filled rack by rack. */
export interface HostGroup {
  readonly count: number;
  readonly namePrefix: string;
  readonly capacity: Resources;
  readonly ports: PortRange;
  readonly zones: readonly string[];
  readonly hostsPerRack: number;
  readonly labels: readonly Label[];
  /** Value of the exclusive label, for hosts reserved to pods that ask for it. */
  readonly exclusive?: string;
}

/** `zone-a`, `zone-b`, … `zone-z`, `zone-aa`, … */
export function zoneName(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `zone-${s}`;
}

/** Digits in host numbers: at least 4, more when the count needs them (`host-00000` for 50,000). */
export const hostNumberWidth = (count: number): number => Math.max(4, String(Math.max(0, count - 1)).length);

export const hostnameOf = (prefix: string, n: number, width: number): string =>
  `${prefix}${String(n).padStart(width, "0")}`;

/** A private address per host: 10.x.y.z from the host's position in the fleet (1-based). */
export const ipOf = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

export const rackName = (zone: string, rack: number): string =>
  `${zone}-rack-${String(rack).padStart(2, "0")}`;

/**
 * Expands groups into host specs. Hosts are numbered per name prefix across groups, so groups
 * sharing a prefix continue each other's numbering; racks are numbered per zone across groups,
 * so two groups never share a rack.
 */
export function expandHostGroups(groups: readonly HostGroup[]): HostSpec[] {
  const perPrefix = new Map<string, number>();
  for (const g of groups) perPrefix.set(g.namePrefix, (perPrefix.get(g.namePrefix) ?? 0) + g.count);
  const nextNumber = new Map<string, number>();
  const nextRack = new Map<string, number>();
  const hosts: HostSpec[] = [];
  for (const g of groups) {
    const width = hostNumberWidth(perPrefix.get(g.namePrefix)!);
    const firstRack = g.zones.map((z) => nextRack.get(z) ?? 0);
    const racksUsed = g.zones.map(() => 0);
    for (let j = 0; j < g.count; j++) {
      const z = j % g.zones.length;
      const zone = g.zones[z]!;
      const rack = Math.floor(Math.floor(j / g.zones.length) / g.hostsPerRack);
      racksUsed[z] = rack + 1;
      const n = nextNumber.get(g.namePrefix) ?? 0;
      nextNumber.set(g.namePrefix, n + 1);
      const labels: Label[] = [
        { key: ZONE_LABEL, value: zone },
        { key: RACK_LABEL, value: rackName(zone, firstRack[z]! + rack) },
        ...g.labels,
      ];
      if (g.exclusive !== undefined) labels.push({ key: EXCLUSIVE_LABEL, value: g.exclusive });
      hosts.push({
        hostname: hostnameOf(g.namePrefix, n, width),
        ip: ipOf(hosts.length + 1),
        capacity: g.capacity,
        ports: g.ports,
        labels,
      });
    }
    g.zones.forEach((zone, z) => {
      nextRack.set(zone, firstRack[z]! + racksUsed[z]!);
    });
  }
  return hosts;
}
