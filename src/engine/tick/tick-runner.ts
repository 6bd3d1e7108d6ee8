import { rowsOf } from "../../domain/change-set.js";
import { parsePodId } from "../../domain/pod.js";
import { AppError } from "../../lib/app-error.js";
import { backoffMs } from "../../lib/backoff.js";
import type { Clock } from "../../lib/clock.js";
import { yieldToEventLoop } from "../../lib/yield-to-event-loop.js";
import type { RuntimeCache } from "../cache/runtime-cache.js";
import type { Command, CommandEnv } from "../commands/command.js";
import type { ChangeFeed } from "../feed/change-feed.js";
import { decide } from "../kinds/decide.js";
import { ActionCounts } from "../kinds/kind-env.js";
import { observePod } from "../kinds/pod/observe-pod.js";
import {
  decodeKey,
  type EntityKind,
  hostKey,
  jobKey,
  type KeyString,
  podKey,
  workflowKey,
} from "../loop/entity-key.js";
import type { KeyRetry } from "../loop/key-retry.js";
import type { Reconciler } from "../loop/reconciler.js";
import type { EngineLogger, EngineMetrics, EngineStore, EngineTimings, PodObservation } from "../ports.js";
import { drainRound } from "../rounds/drain-round.js";
import { runSchedulingRound } from "../rounds/run-scheduling-round.js";
import { Tick } from "./tick.js";

/** Observations, and due keys (a workflow's key may create thousands of pods), between two yields. */
const YIELD_EVERY = 5000;
const YIELD_EVERY_KEYS = 500;

/** A command waiting for a tick: it runs there, and answers once the tick is committed. */
export interface QueuedCommand {
  run(tick: Tick, env: CommandEnv): void;
  /** Answers with an error without running (the engine stops). */
  refuse(e: unknown): void;
}

export interface TickRunnerParts {
  readonly cache: RuntimeCache;
  readonly loop: Reconciler;
  readonly store: EngineStore;
  readonly clock: Clock;
  readonly timings: EngineTimings;
  readonly metrics: EngineMetrics;
  readonly log: EngineLogger;
  readonly feed: ChangeFeed;
  readonly retry: KeyRetry<KeyString>;
  readonly env: (actions: ActionCounts) => CommandEnv;
  /** Rebuilds the cache from the store (a failure after a commit, a revision conflict). */
  readonly reload: () => Promise<void>;
  /** Another server took the lease: stop for good. */
  readonly fenced: (e: Error) => void;
}

/**
 * One tick, start to end: commands, fleet reports and due keys become decisions staged in a Tick;
 * the scheduling and drain rounds add theirs; everything is written in one commit; only then does
 * the cache take it, the fleet hear of it and the change feed publish it. A failure before the
 * commit changes nothing (its commands are refused with UNAVAILABLE, its reports and keys wait
 * for the next tick); a failure after it rebuilds the cache from the store.
 */
export class TickRunner {
  readonly inbox: PodObservation[] = [];
  readonly commands: QueuedCommand[] = [];
  /** Hosts started or stopped draining: run the drain round even if no pod changed. */
  drainReview = true;
  nextScheduleAt = 0;
  #failures = 0;
  /** Whether the next tick with commands waiting takes only them. */
  #commandsTurn = true;

  constructor(private readonly p: TickRunnerParts) {}

  /** Queues a command; it resolves with its result once committed. */
  submit<T>(command: Command<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.p.loop.stopped) {
        reject(new AppError("UNAVAILABLE", "the server is stopping; try again"));
        return;
      }
      this.commands.push({
        run(tick, env) {
          let result: T;
          try {
            result = command(tick, env);
          } catch (e) {
            reject(e);
            return;
          }
          tick.done.push(() => resolve(result));
          tick.failed.push(reject);
        },
        refuse: reject,
      });
      this.p.loop.wake();
    });
  }

  /** Refuses every command still waiting (the engine stops). */
  refuseWaiting(): void {
    const refusal = new AppError("UNAVAILABLE", "the server is stopping; try again");
    for (const c of this.commands.splice(0)) c.refuse(refusal);
  }

  hasWork(now: number): boolean {
    const { pending } = this.p.cache;
    return (
      this.inbox.length > 0 ||
      this.commands.length > 0 ||
      this.drainReview ||
      (pending.size > 0 && (pending.dirty || this.nextScheduleAt <= now))
    );
  }

  nextWorkAt(): number | undefined {
    if (this.inbox.length > 0 || this.commands.length > 0 || this.drainReview) return this.p.clock.now();
    return this.p.cache.pending.size > 0 ? this.nextScheduleAt : undefined;
  }

  async run(): Promise<void> {
    const { cache, loop } = this.p;
    const started = performance.now();
    const actions = new ActionCounts();
    const env = this.p.env(actions);
    const tick = new Tick(this.p.clock.now(), cache, (key, at) => loop.enqueue(key, at));
    const commands = this.commands.splice(0);
    // Commands do not wait behind a large tick: when they are waiting, every other tick takes
    // them alone with their direct consequences (the entities they asked to look at, and a drain
    // round when hosts started draining); fleet reports and other due keys wait for the next tick.
    const commandsOnly = commands.length > 0 && this.#commandsTurn;
    this.#commandsTurn = !commandsOnly;
    const observations = commandsOnly ? [] : this.inbox.splice(0);
    let due: KeyString[] = [];
    const review = !commandsOnly && this.drainReview;
    try {
      for (const c of commands) c.run(tick, env);
      if (commandsOnly) {
        due = [...new Set(tick.lookedAt)];
        for (const key of due) {
          loop.delete(key);
          this.#decide(tick, key, env);
        }
        // The drain plan depends on pods: a command that moved some may let a drain go on.
        drainRound(tick, tick.reviewDrains, env);
      } else {
        due = loop.popDue(tick.now);
        await this.#decideAll(tick, env, observations, due, review);
      }
    } catch (e) {
      this.#failed(tick, observations, due, e, "engine tick failed before its commit; retrying");
      return;
    }
    await this.#commit(tick, actions, started, commands.length, observations, due, review);
  }

  /** Fleet reports, due keys, then the scheduling and drain rounds. */
  async #decideAll(
    tick: Tick,
    env: CommandEnv,
    observations: PodObservation[],
    due: KeyString[],
    review: boolean,
  ): Promise<void> {
    const { cache, timings } = this.p;
    // A tick of a large cluster handles tens of thousands of items: it lets the event loop
    // serve API calls in between (what it stages is not seen before the commit anyway).
    for (let i = 0; i < observations.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      this.#observe(tick, observations[i]!, env);
    }
    for (let i = 0; i < due.length; i++) {
      if (i > 0 && i % YIELD_EVERY_KEYS === 0) await yieldToEventLoop();
      this.#decide(tick, due[i]!, env);
    }
    const { pending } = cache;
    if (pending.size > 0 || tick.scheduleAgain) {
      if (pending.dirty || this.nextScheduleAt <= tick.now || tick.scheduleAgain) {
        pending.dirty = false;
        this.nextScheduleAt = tick.now + timings.scheduleIntervalMs;
        await runSchedulingRound(tick, env);
      }
    }
    drainRound(tick, review || tick.reviewDrains, env);
  }

  /** Writes what the tick staged, then lets the cache, the fleet and the feed take it. */
  async #commit(
    tick: Tick,
    actions: ActionCounts,
    started: number,
    commands: number,
    observations: PodObservation[],
    due: KeyString[],
    review: boolean,
  ): Promise<void> {
    const { cache, loop } = this.p;
    const changes = tick.changeSet();
    const rows = rowsOf(changes);
    const revision = cache.revision + 1;
    const commitStarted = performance.now();
    if (rows > 0) {
      try {
        await this.p.store.commit(changes, revision, tick.now);
      } catch (e) {
        this.p.metrics.commitFailed();
        if (e instanceof Error && e.name === "Fenced") {
          this.p.log.error({ err: e }, "another server leads now: this engine stops");
          this.#refuse(tick, e, "this server no longer leads; try the leader");
          this.p.fenced(e);
          return;
        }
        if (e instanceof Error && e.name === "RevisionConflict") {
          this.p.log.error({ err: e }, "the store moved on without this engine; reloading");
          this.#refuse(tick, e);
          this.#keep(tick, observations, due, tick.now);
          await this.p.reload();
          return;
        }
        this.#failed(tick, observations, due, e, "engine commit failed; retrying");
        return;
      }
    }
    const commitMs = performance.now() - commitStarted;
    this.#failures = 0;
    if (review) this.drainReview = false;
    if (tick.reviewDrains && !review) this.drainReview = true;
    try {
      this.#afterCommit(tick, changes, rows > 0 ? revision : undefined);
      for (const hook of tick.afterCommit) await hook();
      for (const [key, at] of tick.rechecks) loop.enqueue(key, at);
    } catch (e) {
      this.p.log.error({ err: e }, "engine failed after a commit; rebuilding its cache from the store");
      for (const d of tick.done) d();
      await this.p.reload();
      return;
    }
    for (const d of tick.done) d();
    const m = this.p.metrics;
    m.tick({
      durationMs: performance.now() - started,
      commitMs,
      rows,
      commands,
      observations: observations.length,
      dueKeys: due.length,
    });
    for (const [kind, name, n] of actions.entries()) m.action(kind, name, n);
    m.queueDepth(loop.depth);
    m.pendingPods(cache.pending.size);
    if (rows > 0) m.podsByState(cache.podsByState());
  }

  #decide(tick: Tick, key: KeyString, env: CommandEnv): void {
    tick.touched.add(key);
    const k = decodeKey(key);
    try {
      decide(tick, k, env);
      this.p.retry.succeed(key);
    } catch (e) {
      this.#keyFailed(tick, key, k.kind, "decide", e, env);
    }
  }

  /** A fleet report; a decision it leads to that throws fails that pod's key only, as in #decide. */
  #observe(tick: Tick, o: PodObservation, env: CommandEnv): void {
    try {
      observePod(tick, o, env);
    } catch (e) {
      const id = parsePodId(o.podId);
      if (!id) throw e;
      const key = podKey(id.jobId, id.instance);
      tick.touched.add(key);
      this.#keyFailed(tick, key, "pod", "observe", e, env);
    }
  }

  /** One entity's failure is its own: it backs off alone and the tick goes on. */
  #keyFailed(tick: Tick, key: KeyString, kind: EntityKind, name: string, e: unknown, env: CommandEnv): void {
    const wait = this.p.retry.fail(key);
    env.log.error({ err: e, key: key.slice(0, 80), retryInMs: wait }, "a decision failed; retrying it alone");
    this.p.metrics.actionError(kind, name);
    tick.recheck(key, tick.now + wait);
  }

  /** The commit is in: the cache takes it, then the fleet hears of it and the feed publishes it. */
  #afterCommit(tick: Tick, changes: ReturnType<Tick["changeSet"]>, revision: number | undefined): void {
    const { cache, loop, feed } = this.p;
    const env = this.p.env(new ActionCounts());
    if (revision !== undefined) {
      const applied = cache.apply(changes, revision);
      for (const key of applied.goneKeys) loop.delete(key);
      for (const id of changes.deleteJobs) {
        loop.delete(jobKey(id));
        loop.delete(workflowKey(id));
      }
      if (applied.runsLeftHosts) {
        cache.pending.dirty = true;
        // A run that left a host in maintenance may have been its last.
        for (const h of cache.movingHosts) loop.enqueue(hostKey(h), tick.now);
      }
      if (changes.pools.length > 0 || changes.deletePools.length > 0 || changes.hosts.length > 0)
        cache.pending.dirty = true;
      if (tick.placed > 0) this.p.metrics.placed(tick.placed);
      feed.publish(revision, tick.now, changes, cache, applied.goneKeys);
    }
    if (tick.launches.length > 0) env.fleet.launch(tick.launches);
    if (tick.kills.length > 0) env.fleet.kill(tick.kills);
    for (const h of tick.takeDown) env.fleet.takeDown(h);
    for (const h of tick.bringUp) env.fleet.bringUp(h);
  }

  /** A failure before the commit: nothing happened; the tick's work waits (with backoff) for the next. */
  #failed(tick: Tick, observations: PodObservation[], due: KeyString[], e: unknown, msg: string): void {
    this.#failures++;
    const retryAt =
      tick.now + backoffMs(this.#failures, this.p.timings.commitRetryMs, 32 * this.p.timings.commitRetryMs);
    this.p.log.error({ err: e, attempt: this.#failures, retryInMs: retryAt - tick.now }, msg);
    this.#refuse(tick, e);
    this.#keep(tick, observations, due, retryAt);
    this.p.loop.blockUntil(retryAt);
  }

  #refuse(tick: Tick, cause: unknown, message = "the database did not take the change; try again"): void {
    const refusal = new AppError("UNAVAILABLE", message);
    (refusal as { cause?: unknown }).cause = cause;
    for (const f of tick.failed) f(refusal);
  }

  #keep(tick: Tick, observations: PodObservation[], due: KeyString[], at: number): void {
    // Back at the front, in order (a spread of 100,000 arguments would overflow the stack).
    const later = this.inbox.splice(0);
    for (const o of observations) this.inbox.push(o);
    for (const o of later) this.inbox.push(o);
    for (const key of due) this.p.loop.enqueue(key, at);
    for (const key of tick.touched) this.p.loop.enqueue(key, at);
    this.p.cache.pending.dirty = true;
    if (tick.reviewDrains) this.drainReview = true;
  }
}
