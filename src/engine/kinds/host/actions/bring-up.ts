import { type HostContext, type HostStep, moveHost } from "../host-step.js";

/** DOWN → UP: maintenance is complete, the host takes pods again. */
export const bringUp = ({ host, now }: HostContext): HostStep => ({
  host: moveHost(host, "UP", now),
  bringUp: true,
});
