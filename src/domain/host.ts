import type { Label } from "./labels.js";
import type { Resources } from "./resources.js";

/** Host states as Peloton's HostService reports them (without the INVALID zero value). */
export const HOST_STATES = ["UNKNOWN", "UP", "DRAINING", "DRAINED", "DOWN"] as const;
export type HostState = (typeof HOST_STATES)[number];

/** The implicit label every host carries, whose value is its hostname. */
export const HOSTNAME_LABEL = "hostname";

/** The label that marks a host as exclusive: it takes only pods that ask for `exclusive=<value>`. */
export const EXCLUSIVE_LABEL = "peloton/exclusive";

/** A half-open range [begin, end) of ports a host hands out. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

/** What a host is: its name, address, size and labels. Its state and usage live elsewhere. */
export interface HostSpec {
  readonly hostname: string;
  readonly ip: string;
  readonly capacity: Resources;
  readonly ports: PortRange;
  readonly labels: readonly Label[];
}

/** What a host wants to be: in service (UP) or out of it for maintenance (DOWN). */
export const HOST_GOALS = ["UP", "DOWN"] as const;
export type HostGoal = (typeof HOST_GOALS)[number];

/** A host as the store keeps it: what it is, and where maintenance has it and takes it. */
export interface HostRecord {
  readonly hostname: string;
  readonly ip: string;
  readonly capacity: HostSpec["capacity"];
  readonly labels: readonly Label[];
  readonly state: HostState;
  readonly goal: HostGoal;
  readonly updatedAt: number;
}
