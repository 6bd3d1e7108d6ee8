import type { HostState } from "../../domain/host.js";
import { nextMaintenanceState } from "../../domain/host-maintenance.js";
import { AppError } from "../../lib/app-error.js";
import type { Clock } from "../../lib/clock.js";
import type { HostStateStore, MaintenanceFleet } from "./ports.js";

export interface HostEntry {
  readonly hostname: string;
  readonly ip: string;
  state: HostState;
}

/**
 * Drives hosts through maintenance. Every change is written to the store before the cache and
 * the fleet see it; operations run one at a time, so a reconcile never interleaves with a call.
 *
 * It does not move pods itself: the engine does (its drain plan kills the runs on DRAINING hosts
 * within each job's SLA, and they start again elsewhere). This class moves a host on once it is
 * empty: DRAINING → DRAINED → DOWN. A DRAINING host whose agent is lost (the fleet reports it
 * down, its runs LOST) stays DRAINING: the fleet forgetting its pods is no drain, and the host
 * is not reported DOWN for maintenance until its agent is back and it is seen empty.
 */
export class HostMaintenance {
  readonly #hosts = new Map<string, HostEntry>();
  /** Hosts that can move on their own (DRAINING, DRAINED): all a reconcile needs to look at. */
  readonly #moving = new Set<HostEntry>();
  readonly #draining = new Set<string>();
  readonly #drainingListeners: (() => void)[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    hosts: readonly { hostname: string; ip: string; state: HostState }[],
    private readonly store: HostStateStore,
    private readonly fleet: MaintenanceFleet,
    private readonly clock: Clock,
  ) {
    for (const h of hosts) {
      const entry = { ...h };
      this.#hosts.set(h.hostname, entry);
      this.#track(entry);
    }
  }

  /**
   * Applies the stored states to the fleet at start (hosts left DOWN stay out of service). Hosts
   * DRAINING or DRAINED move on at the first reconcile, which the caller runs once the engine
   * knows its pods (so that a host's pods are counted before it is called empty).
   */
  resume(): void {
    for (const h of this.#hosts.values()) if (h.state === "DOWN") this.fleet.takeDown(h.hostname);
  }

  /** Hosts whose pods are to be moved off now (DRAINING). */
  draining(): ReadonlySet<string> {
    return this.#draining;
  }

  /** Calls `listener` after hosts started draining (their state is stored by then). */
  onDraining(listener: () => void): void {
    this.#drainingListeners.push(listener);
  }

  list(): readonly HostEntry[] {
    return [...this.#hosts.values()].sort((a, b) => a.hostname.localeCompare(b.hostname));
  }

  state(hostname: string): HostState | undefined {
    return this.#hosts.get(hostname)?.state;
  }

  /** UP hosts go DRAINING (others keep their state); all names must be known, or nothing changes. */
  startMaintenance(hostnames: readonly string[]): Promise<void> {
    return this.#serial(async () => {
      const hosts = this.#known(hostnames, () => true, "does not exist");
      const started = hosts.filter((h) => h.state === "UP");
      await this.#apply(started.map((h) => [h, "DRAINING"]));
      await this.#reconcileNow();
      if (started.some((h) => h.state === "DRAINING")) for (const l of this.#drainingListeners) l();
    });
  }

  /** DOWN hosts come back UP; every name must be a known DOWN host, or nothing changes. */
  completeMaintenance(hostnames: readonly string[]): Promise<void> {
    return this.#serial(async () => {
      const hosts = this.#known(hostnames, (h) => h.state === "DOWN", "is not DOWN (in maintenance)");
      await this.#apply(hosts.map((h) => [h, "UP"]));
      for (const h of hosts) this.fleet.bringUp(h.hostname);
    });
  }

  /** Moves every host in maintenance as far as its pods allow. */
  reconcile(): Promise<void> {
    return this.#serial(() => this.#reconcileNow());
  }

  async #reconcileNow(): Promise<void> {
    for (;;) {
      const moves: [HostEntry, HostState][] = [];
      for (const h of this.#moving) {
        // A lost agent's host has no pods the fleet knows of, yet it was not drained.
        if (h.state === "DRAINING" && !this.fleet.agentConnected(h.hostname)) continue;
        const next = nextMaintenanceState(h.state, this.fleet.podCount(h.hostname));
        if (next) moves.push([h, next]);
      }
      if (moves.length === 0) return;
      await this.#apply(moves);
      for (const [h, state] of moves) if (state === "DOWN") this.fleet.takeDown(h.hostname);
    }
  }

  #known(hostnames: readonly string[], ok: (h: HostEntry) => boolean, rule: string): HostEntry[] {
    if (hostnames.length === 0) throw AppError.invalid("hostnames", "must name at least one host");
    return [...new Set(hostnames)].map((name) => {
      const h = this.#hosts.get(name);
      if (!h || !ok(h)) throw AppError.notFound(`host ${name} ${h ? rule : "does not exist"}`);
      return h;
    });
  }

  async #apply(moves: readonly [HostEntry, HostState][]): Promise<void> {
    if (moves.length === 0) return;
    await this.store.setStates(
      moves.map(([h, state]) => ({ hostname: h.hostname, state })),
      this.clock.now(),
    );
    for (const [h, state] of moves) {
      h.state = state;
      this.#track(h);
    }
  }

  #track(h: HostEntry): void {
    if (h.state === "DRAINING") this.#draining.add(h.hostname);
    else this.#draining.delete(h.hostname);
    if (nextMaintenanceState(h.state, 0) !== undefined || nextMaintenanceState(h.state, 1) !== undefined) {
      this.#moving.add(h);
    } else {
      this.#moving.delete(h);
    }
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(op, op);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
