import type { HostState } from "../../domain/host.js";

/** Where host states are kept durably. */
export interface HostStateStore {
  setStates(changes: readonly { hostname: string; state: HostState }[], now: number): Promise<void>;
}

/** What maintenance needs of the fleet. */
export interface MaintenanceFleet {
  /** Pod runs on the host that have not finished. */
  podCount(hostname: string): number;
  /** Takes the host out of service (it reached DOWN). */
  takeDown(hostname: string): void;
  /** Returns the host to service (maintenance completed). */
  bringUp(hostname: string): void;
}
