import type { HostRecord } from "../../../domain/host.js";

/** What a host's action sees. */
export interface HostContext {
  readonly host: HostRecord;
  /** Runs still on the host: those its agent holds, and those the engine still counts there. */
  readonly runs: number;
  readonly agentUp: boolean;
  readonly now: number;
}

/** What a host's action decides; the fleet is told only once it is committed. */
export interface HostStep {
  readonly host?: HostRecord;
  readonly takeDown?: boolean;
  readonly bringUp?: boolean;
  /** The hosts being drained changed: the drain round looks at them in this tick. */
  readonly reviewDrains?: boolean;
  /** Look at the host again in this tick (it may move on at once). */
  readonly again?: boolean;
}

export const moveHost = (host: HostRecord, state: HostRecord["state"], now: number): HostRecord => ({
  ...host,
  state,
  updatedAt: now,
});
