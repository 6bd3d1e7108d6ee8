import type { RuntimeCache } from "../cache/runtime-cache.js";
import type { EntityKind } from "../loop/entity-key.js";
import type { EngineFleet, EngineLogger, EngineTimings } from "../ports.js";

/** Decisions taken in a tick, by kind and action: reported to the metrics port once per tick. */
export class ActionCounts {
  readonly counts = new Map<string, number>();

  count(kind: EntityKind, action: string): void {
    const key = `${kind}\u0000${action}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  *entries(): Generator<[EntityKind, string, number]> {
    for (const [key, n] of this.counts) {
      const [kind, action] = key.split("\u0000") as [EntityKind, string];
      yield [kind, action, n];
    }
  }
}

/** What every kind's decisions may use besides the tick. */
export interface KindEnv {
  readonly cache: RuntimeCache;
  readonly timings: EngineTimings;
  readonly log: EngineLogger;
  readonly fleet: Pick<EngineFleet, "podCount" | "agentUp">;
  readonly actions: ActionCounts;
}
