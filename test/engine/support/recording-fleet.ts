import type { HostSpec } from "../../../src/domain/host.js";
import { resources } from "../../../src/domain/resources.js";
import type {
  EngineFleet,
  FleetHostView,
  HostObservation,
  LaunchRequest,
  PodObservation,
} from "../../../src/engine/ports.js";

export const hostSpec = (hostname: string, cpu = 8, memory = 8192): HostSpec => ({
  hostname,
  ip: "10.0.0.1",
  capacity: resources({ cpu, memory, disk: 100_000 }),
  ports: { begin: 31000, end: 32000 },
  labels: [],
});

/**
 * A fleet that runs nothing: it records what the engine asks of it (launches, kills,
 * reconciliations, hosts taken down and brought up), and the test reports back what happens.
 */
export class RecordingFleet implements EngineFleet {
  readonly launches: LaunchRequest[] = [];
  readonly kills: { podId: string; gracePeriodMs: number }[] = [];
  readonly reconciled: (readonly string[] | undefined)[] = [];
  readonly takenDown: string[] = [];
  readonly broughtUp: string[] = [];
  /** Runs the agents hold per host (what `podCount` answers). */
  readonly agentRuns = new Map<string, number>();
  /** Hosts whose agent is lost. */
  readonly lost = new Set<string>();
  readonly #down = new Set<string>();
  readonly #listeners = new Set<(events: readonly (PodObservation | HostObservation)[]) => void>();

  constructor(readonly specs: readonly HostSpec[] = [hostSpec("h0"), hostSpec("h1")]) {}

  launch(pods: readonly LaunchRequest[]): void {
    this.launches.push(...pods);
  }
  kill(pods: readonly { podId: string; gracePeriodMs: number }[]): void {
    this.kills.push(...pods);
  }
  reconcile(podIds?: readonly string[]): void {
    this.reconciled.push(podIds);
  }
  subscribe(listener: (events: readonly (PodObservation | HostObservation)[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  hosts(): readonly FleetHostView[] {
    return this.specs.map((spec) => ({
      spec,
      state: this.#down.has(spec.hostname) || this.lost.has(spec.hostname) ? "DOWN" : "UP",
    }));
  }
  podCount(hostname: string): number {
    return this.agentRuns.get(hostname) ?? 0;
  }
  agentUp(hostname: string): boolean {
    return !this.#down.has(hostname) && !this.lost.has(hostname);
  }
  takeDown(hostname: string): void {
    this.#down.add(hostname);
    this.takenDown.push(hostname);
  }
  bringUp(hostname: string): void {
    this.#down.delete(hostname);
    this.broughtUp.push(hostname);
  }

  /** Reports what happened to runs (and hosts), as the agents would. */
  report(...events: (PodObservation | HostObservation)[]): void {
    for (const l of this.#listeners) l(events);
  }

  /** The report that a run reached `state`. */
  static pod(
    podId: string,
    state: PodObservation["state"],
    at: number,
    over: Partial<PodObservation> = {},
  ): PodObservation {
    return { kind: "pod", podId, hostname: "h0", agentId: "agent-h0", state, message: "", at, ...over };
  }
}
