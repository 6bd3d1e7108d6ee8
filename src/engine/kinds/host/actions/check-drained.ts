import { type HostContext, type HostStep, moveHost } from "../host-step.js";

/**
 * DRAINING → DRAINED once no run is left on the host. A host whose agent is lost has no runs the
 * fleet knows of, yet it was not drained: it stays DRAINING until the agent is back.
 */
export const checkDrained = ({ host, runs, agentUp, now }: HostContext): HostStep => {
  if (!agentUp || runs > 0) return {};
  return { host: moveHost(host, "DRAINED", now), again: true };
};
