import { schedulerAdapter } from "../../../src/app/scheduler-adapter.js";
import type { HostSpec } from "../../../src/domain/host.js";
import { Engine } from "../../../src/engine/engine.js";
import type {
  EngineMetrics,
  EngineScheduler,
  EngineStore,
  EngineTimings,
  TickFigures,
} from "../../../src/engine/ports.js";
import { ManualClock } from "../../../src/lib/clock.js";
import { MemoryStore } from "./memory-store.js";
import { RecordingFleet } from "./recording-fleet.js";

/** Every log line the engine wrote. */
export class LogRecorder {
  readonly lines: { level: "warn" | "error"; obj: object; msg: string }[] = [];
  warn(obj: object, msg: string) {
    this.lines.push({ level: "warn", obj, msg });
  }
  error(obj: object, msg: string) {
    this.lines.push({ level: "error", obj, msg });
  }
}

/** The engine's metrics, recorded. */
export class MetricsRecorder implements EngineMetrics {
  readonly ticks: TickFigures[] = [];
  readonly actions = new Map<string, number>();
  readonly errors = new Map<string, number>();
  commitFailures = 0;
  queue = 0;
  pending = 0;
  placedPods = 0;
  tick(o: TickFigures) {
    this.ticks.push(o);
  }
  queueDepth(n: number) {
    this.queue = n;
  }
  pendingPods(n: number) {
    this.pending = n;
  }
  action(kind: string, name: string, count: number) {
    this.actions.set(`${kind}/${name}`, (this.actions.get(`${kind}/${name}`) ?? 0) + count);
  }
  actionError(kind: string, name: string) {
    this.errors.set(`${kind}/${name}`, (this.errors.get(`${kind}/${name}`) ?? 0) + 1);
  }
  commitFailed() {
    this.commitFailures++;
  }
  podsByState() {}
  placed(n: number) {
    this.placedPods += n;
  }
}

export interface HarnessOptions<S extends EngineStore> {
  readonly store?: S;
  readonly hosts?: readonly HostSpec[];
  readonly timings?: Partial<EngineTimings>;
  readonly clock?: ManualClock;
  readonly onFenced?: (e: Error) => void;
  /** Wraps the real scheduler (to make it fail, or to watch what it is asked). */
  readonly scheduler?: (real: EngineScheduler) => EngineScheduler;
}

/**
 * An engine on an in-memory store (or the one given) and a recording fleet, on a manual clock,
 * with the real scheduler: what the engine's unit tests drive (Nomad's scheduler/tests harness
 * plays the same part there).
 */
export async function engineHarness<S extends EngineStore = MemoryStore>(o: HarnessOptions<S> = {}) {
  const store = (o.store ?? new MemoryStore()) as S;
  const fleet = new RecordingFleet(o.hosts);
  const clock = o.clock ?? new ManualClock(Date.UTC(2026, 11, 1));
  const log = new LogRecorder();
  const metrics = new MetricsRecorder();
  let volumes = 0;
  const engine = new Engine({
    store,
    fleet,
    scheduler: (o.scheduler ?? ((s) => s))(schedulerAdapter("pack")),
    clock,
    log,
    metrics,
    timings: o.timings,
    newVolumeId: () => `00000000-0000-4000-8000-${String(++volumes).padStart(12, "0")}`,
    onFenced: o.onFenced,
  });
  await engine.start();
  return {
    engine,
    store,
    fleet,
    clock,
    log,
    metrics,
    /** Moves time on and lets the engine finish what falls due. */
    async advance(ms: number) {
      clock.advance(ms);
      await engine.idle();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof engineHarness<MemoryStore>>>;
