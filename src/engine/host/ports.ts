import type { HostState } from "../../domain/host.js";

/** Where host states are kept durably. */
export interface HostStateStore {
  setStates(changes: readonly { hostname: string; state: HostState }[], now: number): Promise<void>;
}

/** What maintenance needs of the fleet. */
export interface MaintenanceFleet {
  /**
   * Pod runs on the host that have not finished: those its agent runs, and those the engine
   * still holds there (a run the agent lost counts until the engine has accounted for it).
   */
  podCount(hostname: string): number;
  /** Whether the host's agent is connected (the fleet has not lost the host). */
  agentConnected(hostname: string): boolean;
  /** Takes the host out of service (it reached DOWN). */
  takeDown(hostname: string): void;
  /** Returns the host to service (maintenance completed). */
  bringUp(hostname: string): void;
}
