/** The entity kinds the engine acts on. */
export type EngineEntityKind = "job" | "pod" | "workflow" | "host";

/**
 * What the engine reports about itself (a port: the engine calls it, `app` implements it on
 * prom-client). Each call is cheap and never throws.
 */
export interface EngineMetrics {
  tick(o: {
    durationMs: number;
    commitMs: number;
    rows: number;
    commands: number;
    observations: number;
    dueKeys: number;
  }): void;
  queueDepth(n: number): void;
  pendingPods(n: number): void;
  action(kind: EngineEntityKind, name: string): void;
  actionError(kind: EngineEntityKind, name: string): void;
  commitFailed(): void;
  podsByState(counts: Readonly<Record<string, number>>): void;
  placed(n: number): void;
}
