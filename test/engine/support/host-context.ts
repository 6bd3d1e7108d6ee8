import type { HostGoal, HostRecord, HostState } from "../../../src/domain/host.js";
import { resources } from "../../../src/domain/resources.js";
import type { HostContext } from "../../../src/engine/kinds/host/host-step.js";

/** A host record of 8 cpu named `hostname`. */
export const hostRecord = (hostname: string, state: HostState, goal: HostGoal): HostRecord => ({
  hostname,
  ip: "10.0.0.1",
  capacity: resources({ cpu: 8, memory: 8192, disk: 100_000 }),
  labels: [],
  state,
  goal,
  updatedAt: 0,
});

/** What a host action sees: host "a" in `state` towards `goal`, its agent up, no run on it, at 500. */
export const hostContext = (
  state: HostState,
  goal: HostGoal,
  over: Partial<Omit<HostContext, "host">> = {},
) => ({
  host: hostRecord("a", state, goal),
  runs: 0,
  agentUp: true,
  now: 500,
  ...over,
});
