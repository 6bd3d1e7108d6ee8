import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { EntityKind } from "../../engine/loop/entity-key.js";
import type { EngineMetrics, TickFigures } from "../../engine/ports.js";

/** Label values the engine gives (action names) are code, not input; still, keep them short. */
const label = (s: string): string => (s.length > 64 ? s.slice(0, 64) : s);

/** EngineMetrics on prom-client, in `registry`; plus `watchers(n)` for the Watch service. */
export class PromEngineMetrics implements EngineMetrics {
  readonly #tickSeconds: Histogram;
  readonly #commitSeconds: Histogram;
  readonly #commitRows: Histogram;
  readonly #commands: Counter;
  readonly #observations: Counter;
  readonly #dueKeys: Counter;
  readonly #queueDepth: Gauge;
  readonly #pendingPods: Gauge;
  readonly #actions: Counter<"kind" | "action">;
  readonly #actionErrors: Counter<"kind" | "action">;
  readonly #commitFailures: Counter;
  readonly #pods: Gauge<"state">;
  readonly #placed: Counter;
  readonly #watchers: Gauge;
  /** States reported before: a state that is gone from a later report goes to 0, not stale. */
  readonly #seenStates = new Set<string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.#tickSeconds = new Histogram({
      name: "peloton_engine_tick_duration_seconds",
      help: "Wall time of an engine tick, its commit included.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#commitSeconds = new Histogram({
      name: "peloton_engine_commit_duration_seconds",
      help: "Time of a tick's database commit.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#commitRows = new Histogram({
      name: "peloton_engine_commit_rows",
      help: "Rows written by a tick's commit.",
      buckets: [0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
      registers,
    });
    this.#commands = new Counter({
      name: "peloton_engine_commands_total",
      help: "API commands the engine took into its ticks.",
      registers,
    });
    this.#observations = new Counter({
      name: "peloton_engine_observations_total",
      help: "Fleet observations (pod and host reports) the engine took into its ticks.",
      registers,
    });
    this.#dueKeys = new Counter({
      name: "peloton_engine_due_keys_total",
      help: "Entity keys whose deadline fell due in a tick.",
      registers,
    });
    this.#queueDepth = new Gauge({
      name: "peloton_engine_queue_depth",
      help: "Entity keys waiting in the engine's deadline queue.",
      registers,
    });
    this.#pendingPods = new Gauge({
      name: "peloton_engine_pending_pods",
      help: "Pods waiting for admission or placement.",
      registers,
    });
    this.#actions = new Counter({
      name: "peloton_engine_actions_total",
      help: "Actions the engine ran, by entity kind and action.",
      labelNames: ["kind", "action"],
      registers,
    });
    this.#actionErrors = new Counter({
      name: "peloton_engine_action_errors_total",
      help: "Actions that failed (and are retried with backoff), by entity kind and action.",
      labelNames: ["kind", "action"],
      registers,
    });
    this.#commitFailures = new Counter({
      name: "peloton_engine_commit_failures_total",
      help: "Tick commits the database refused or did not answer (retried).",
      registers,
    });
    this.#pods = new Gauge({
      name: "peloton_pods",
      help: "Pods by state.",
      labelNames: ["state"],
      registers,
    });
    this.#placed = new Counter({
      name: "peloton_engine_pods_placed_total",
      help: "Pods placed on hosts (rate() of it is the placement rate).",
      registers,
    });
    this.#watchers = new Gauge({
      name: "peloton_watchers",
      help: "Open Watch streams.",
      registers,
    });
  }

  tick(o: TickFigures): void {
    this.#tickSeconds.observe(o.durationMs / 1000);
    this.#commitSeconds.observe(o.commitMs / 1000);
    this.#commitRows.observe(o.rows);
    this.#commands.inc(o.commands);
    this.#observations.inc(o.observations);
    this.#dueKeys.inc(o.dueKeys);
  }

  queueDepth(n: number): void {
    this.#queueDepth.set(n);
  }

  pendingPods(n: number): void {
    this.#pendingPods.set(n);
  }

  action(kind: EntityKind, name: string, count: number): void {
    this.#actions.inc({ kind, action: label(name) }, count);
  }

  actionError(kind: EntityKind, name: string): void {
    this.#actionErrors.inc({ kind, action: label(name) });
  }

  commitFailed(): void {
    this.#commitFailures.inc();
  }

  podsByState(counts: Readonly<Record<string, number>>): void {
    for (const state of this.#seenStates) if (!(state in counts)) this.#pods.set({ state }, 0);
    for (const [state, n] of Object.entries(counts)) {
      this.#seenStates.add(label(state));
      this.#pods.set({ state: label(state) }, n);
    }
  }

  placed(n: number): void {
    this.#placed.inc(n);
  }

  /** Open Watch streams (the Watch service calls it). */
  watchers(n: number): void {
    this.#watchers.set(n);
  }
}
