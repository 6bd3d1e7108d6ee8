import { type HostContext, type HostStep, moveHost } from "../host-step.js";

/** DRAINED → DOWN, out of the fleet; back to DRAINING if a run turned up there meanwhile. */
export const takeDown = ({ host, runs, now }: HostContext): HostStep =>
  runs > 0
    ? { host: moveHost(host, "DRAINING", now), reviewDrains: true }
    : { host: moveHost(host, "DOWN", now), takeDown: true };
