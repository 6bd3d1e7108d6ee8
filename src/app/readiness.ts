import type { HealthState } from "nice-grpc-server-health";

export interface ReadinessReport {
  readonly ready: boolean;
  /** Each condition: whether it holds, and why not. */
  readonly conditions: Readonly<Record<string, { readonly ok: boolean; readonly detail?: string }>>;
}

/**
 * Whether the server can do its work, from named conditions (`database`, `shutdown`, and later
 * the leader lease): gRPC health (the server and each service) says SERVING while every one
 * holds, NOT_SERVING otherwise; `/readyz` reports the same.
 */
export class Readiness {
  readonly #conditions = new Map<string, { ok: boolean; detail?: string }>();

  constructor(
    private readonly health: HealthState,
    private readonly services: readonly string[],
  ) {
    this.#publish();
  }

  set(condition: string, ok: boolean, detail?: string): void {
    this.#conditions.set(condition, ok ? { ok } : { ok, ...(detail === undefined ? {} : { detail }) });
    this.#publish();
  }

  get ready(): boolean {
    return [...this.#conditions.values()].every((c) => c.ok);
  }

  report(): ReadinessReport {
    return { ready: this.ready, conditions: Object.fromEntries(this.#conditions) };
  }

  #publish(): void {
    const status = this.ready ? "healthy" : "unhealthy";
    this.health.setStatus(status);
    for (const s of this.services) this.health.setStatus(status, s);
  }
}
