import type { HostRecord } from "../../domain/host.js";
import type { FleetHostView } from "../ports.js";
import type { Command } from "./command.js";

const sameLabels = (a: HostRecord["labels"], b: HostRecord["labels"]) =>
  a.length === b.length && a.every((l, i) => l.key === b[i]!.key && l.value === b[i]!.value);

/**
 * At start: records the fleet's hosts. New ones are UP; known ones keep their maintenance state
 * and take the fleet's address, capacity and labels.
 */
export const syncInventory =
  (hosts: readonly FleetHostView[]): Command<void> =>
  (tick) => {
    for (const { spec } of hosts) {
      const known = tick.host(spec.hostname);
      const record: HostRecord = {
        hostname: spec.hostname,
        ip: spec.ip,
        capacity: spec.capacity,
        labels: spec.labels,
        state: known?.state ?? "UP",
        goal: known?.goal ?? "UP",
        updatedAt: known?.updatedAt ?? tick.now,
      };
      const same =
        known &&
        known.ip === record.ip &&
        sameLabels(known.labels, record.labels) &&
        (Object.keys(record.capacity) as (keyof HostRecord["capacity"])[]).every(
          (k) => known.capacity[k] === record.capacity[k],
        );
      if (!same) tick.stageHost(record);
    }
  };
