import { randomUUID } from "node:crypto";
import type { ChangeListener } from "../domain/committed-changes.js";
import type { EntityVersion } from "../domain/entity-version.js";
import type { JobGoal } from "../domain/job.js";
import { isTerminalPodState } from "../domain/pod.js";
import type { PoolConfig } from "../domain/respool.js";
import { backoffMs } from "../lib/backoff.js";
import type { Clock } from "../lib/clock.js";
import type { EngineApi, NewJobInput, PodCommand, WorkflowCommand } from "./api.js";
import { reloadCache } from "./cache/reload-cache.js";
import { RuntimeCache } from "./cache/runtime-cache.js";
import { CacheView } from "./cache/runtime-view.js";
import type { CommandEnv } from "./commands/command.js";
import { createJob } from "./commands/create-job.js";
import { deletePodEvents } from "./commands/delete-pod-events.js";
import { deleteVolume } from "./commands/delete-volume.js";
import { completeMaintenance, startMaintenance } from "./commands/host-commands.js";
import { podCommand } from "./commands/pod-command.js";
import { createPool, deletePool, updatePool } from "./commands/pool-commands.js";
import { refreshJob } from "./commands/refresh-job.js";
import { refreshPod } from "./commands/refresh-pod.js";
import { setJobGoal } from "./commands/set-job-goal.js";
import { syncInventory } from "./commands/sync-inventory.js";
import { workflowCommand } from "./commands/workflow-command.js";
import { ChangeFeed } from "./feed/change-feed.js";
import type { ActionCounts } from "./kinds/kind-env.js";
import { hostKey, type KeyString } from "./loop/entity-key.js";
import { KeyRetry } from "./loop/key-retry.js";
import { Reconciler } from "./loop/reconciler.js";
import {
  DEFAULT_TIMINGS,
  type EngineFleet,
  type EngineLogger,
  type EngineMetrics,
  type EngineScheduler,
  type EngineStore,
  type EngineTimings,
  type HostObservation,
  NO_METRICS,
  type PodObservation,
} from "./ports.js";
import { TickRunner } from "./tick/tick-runner.js";

export interface EngineOptions {
  readonly store: EngineStore;
  readonly fleet: EngineFleet;
  readonly scheduler: EngineScheduler;
  readonly clock: Clock;
  readonly log: EngineLogger;
  readonly metrics?: EngineMetrics;
  readonly timings?: Partial<EngineTimings>;
  /** Ids of new persistent volumes; random UUIDs by default. */
  readonly newVolumeId?: () => string;
  /** Told once, after the engine stopped because another server took the leader lease. */
  readonly onFenced?: (e: Error) => void;
}

/**
 * The goal-state engine: the one writer of durable state. Commands, fleet reports and timers
 * become work for the next tick (tick/tick-runner.ts); each kind's rules decide (kinds/); the
 * tick's changes go to the store in one commit, and only then to the cache, the fleet and the
 * change feed. It implements the interfaces of api.ts.
 */
export class Engine extends CacheView implements EngineApi {
  readonly #o: EngineOptions;
  readonly #cache: RuntimeCache;
  readonly #loop: Reconciler;
  readonly #runner: TickRunner;
  readonly #feed: ChangeFeed;
  readonly #timings: EngineTimings;
  #unsubscribe: (() => void) | undefined;

  constructor(o: EngineOptions) {
    const cache = new RuntimeCache();
    super(cache, o.fleet);
    this.#o = o;
    this.#cache = cache;
    this.#timings = { ...DEFAULT_TIMINGS, ...o.timings };
    this.#feed = new ChangeFeed((e) => o.log.error({ err: e }, "a change feed subscriber failed"));
    this.#loop = new Reconciler({
      clock: o.clock,
      hasWork: (now) => this.#runner.hasWork(now),
      nextWorkAt: () => this.#runner.nextWorkAt(),
      tick: () => this.#runner.run(),
      onTickError: (e) => o.log.error({ err: e }, "engine tick failed"),
    });
    this.#runner = new TickRunner({
      cache,
      loop: this.#loop,
      store: o.store,
      clock: o.clock,
      timings: this.#timings,
      metrics: o.metrics ?? NO_METRICS,
      log: o.log,
      feed: this.#feed,
      retry: new KeyRetry<KeyString>(this.#timings.keyRetryMs, 64 * this.#timings.keyRetryMs),
      env: (actions) => this.#env(actions),
      reload: () => this.#reloadUntilDone(),
      // Called from inside a tick: stop without waiting for that tick, which ends right after.
      fenced: (e) => {
        void this.stop();
        o.onFenced?.(e);
      },
    });
  }

  /** Rebuilds the cache from the store, records the fleet's hosts, asks the fleet where every run is. */
  async start(): Promise<void> {
    await this.#reload();
    this.#unsubscribe = this.#o.fleet.subscribe((events) => this.#onFleet(events));
    await this.#runner.submit(syncInventory(this.#o.fleet.hosts()));
  }

  /** Stops ticking (a tick under way finishes) and refuses every command still waiting. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#loop.stop();
    this.#runner.refuseWaiting();
  }

  /** Resolves once nothing is due now and no tick runs (tests await this after moving time). */
  idle(): Promise<void> {
    return this.#loop.idle();
  }

  revision = (): number => this.#cache.revision;
  subscribe = (listener: ChangeListener): (() => void) => this.#feed.subscribe(listener);

  createJob = (input: NewJobInput) => this.#runner.submit(createJob(input));
  setJobGoal = (jobId: string, goal: JobGoal, version: EntityVersion | undefined, force = false) =>
    this.#runner.submit(setJobGoal(jobId, goal, version, force));
  refreshJob = (jobId: string) => this.#runner.submit(refreshJob(jobId));
  podCommand = (jobId: string, instance: number, command: PodCommand) =>
    this.#runner.submit(podCommand(jobId, instance, command));
  refreshPod = (jobId: string, instance: number) => this.#runner.submit(refreshPod(jobId, instance));
  deletePodEvents = (jobId: string, instance: number, runId: number | null) =>
    this.#runner.submit(deletePodEvents(jobId, instance, runId));
  workflowCommand = (
    jobId: string,
    c: WorkflowCommand,
    v: EntityVersion | undefined,
    data: string | undefined,
  ) => this.#runner.submit(workflowCommand(jobId, c, v, data));
  startMaintenance = (hostnames: readonly string[]) => this.#runner.submit(startMaintenance(hostnames));
  completeMaintenance = (hostnames: readonly string[]) => this.#runner.submit(completeMaintenance(hostnames));
  deleteVolume = (volumeId: string) => this.#runner.submit(deleteVolume(volumeId));
  createPool = (input: { id: string; parentId: string; config: PoolConfig }) =>
    this.#runner.submit(createPool(input));
  updatePool = (input: { id: string; config: PoolConfig }) => this.#runner.submit(updatePool(input));
  deletePool = (id: string) => this.#runner.submit(deletePool(id));

  #env(actions: ActionCounts): CommandEnv {
    const o = this.#o;
    return {
      cache: this.#cache,
      timings: this.#timings,
      log: o.log,
      fleet: o.fleet,
      scheduler: o.scheduler,
      store: o.store,
      actions,
      newVolumeId: o.newVolumeId ?? randomUUID,
    };
  }

  #onFleet(events: readonly (PodObservation | HostObservation)[]): void {
    let ended = false;
    for (const e of events) {
      if (e.kind === "pod") {
        this.#runner.inbox.push(e);
        if (isTerminalPodState(e.state)) ended = true;
      } else {
        this.#cache.pending.dirty = true;
        this.#loop.enqueue(hostKey(e.hostname), this.#o.clock.now());
      }
    }
    // A finished run may have been the last one on a host in maintenance.
    if (ended) for (const h of this.#cache.movingHosts) this.#loop.enqueue(hostKey(h), this.#o.clock.now());
    this.#loop.wake();
  }

  /** Reloads, retrying with capped backoff while the store does not answer (the engine waits meanwhile). */
  async #reloadUntilDone(): Promise<void> {
    for (let attempt = 1; !this.#loop.stopped; attempt++) {
      try {
        return await this.#reload();
      } catch (e) {
        const wait = backoffMs(attempt, this.#timings.commitRetryMs, 32 * this.#timings.commitRetryMs);
        this.#o.log.error({ err: e, attempt, retryInMs: wait }, "reloading from the store failed; retrying");
        await new Promise<void>((resolve) => this.#o.clock.setTimer(wait, resolve));
      }
    }
  }

  /** Crash-only recovery: the cache is rebuilt from the store, every entity looked at again. */
  async #reload(): Promise<void> {
    await reloadCache(this.#cache, this.#o.store, this.#o.fleet, this.#loop, this.#o.clock.now());
    this.#runner.drainReview = true;
    this.#loop.wake();
  }
}
