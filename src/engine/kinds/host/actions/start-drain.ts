import { type HostContext, type HostStep, moveHost } from "../host-step.js";

/** UP → DRAINING: no new placements; the drain round moves its pods off within each job's SLA. */
export const startDrain = ({ host, now }: HostContext): HostStep => ({
  host: moveHost(host, "DRAINING", now),
  reviewDrains: true,
  again: true,
});
