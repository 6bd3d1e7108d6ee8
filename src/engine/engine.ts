import { randomUUID } from "node:crypto";
import { type EntityVersion, expectVersion } from "../domain/entity-version.js";
import type { JobRecord, JobState } from "../domain/job.js";
import {
  isOnHost,
  type JobTemplates,
  type PodRuntime,
  type PodTemplate,
  parsePodId,
  podId,
  podName,
  templateOf,
} from "../domain/pod.js";
import { add, type Resources, ZERO } from "../domain/resources.js";
import type { VolumeRecord } from "../domain/volume.js";
import { type WorkflowRecord, workflowEvent } from "../domain/workflow.js";
import { AppError } from "../lib/app-error.js";
import { backoffMs } from "../lib/backoff.js";
import type { Clock } from "../lib/clock.js";
import { DeadlineQueue } from "../lib/deadline-queue.js";
import { yieldToEventLoop } from "../lib/yield-to-event-loop.js";
import { drainPlan } from "./host/drain-plan.js";
import { maintenanceKill } from "./host/maintenance-kill.js";
import { RunsOnHosts } from "./host/runs-on-hosts.js";
import { jobStep, POD_GOAL_OF } from "./job/job-step.js";
import { observe } from "./pod/observe.js";
import { POD_ACTIONS, podActionFor } from "./pod/pod-actions.js";
import type { PodStep } from "./pod/pod-step.js";
import {
  DEFAULT_TIMINGS,
  type EngineFleet,
  type EngineHosts,
  type EngineScheduler,
  type EngineTimings,
  type PodObservation,
  type RuntimeStore,
} from "./ports.js";
import { type PendingPod, type RoundPod, schedulingRound } from "./scheduling-round.js";
import { type JobEntry, jobKey, podKey, Tick } from "./tick.js";
import { NO_STAGED, VolumeCache } from "./volume/volume-cache.js";
import { volumeDeletion, volumeOnPlacement } from "./volume/volume-steps.js";
import { applyWorkflowCommand, type WorkflowCommand, workflowStep } from "./workflow/workflow-step.js";

export interface EngineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EngineOptions {
  readonly store: RuntimeStore;
  readonly fleet: EngineFleet;
  readonly hosts: EngineHosts;
  readonly scheduler: EngineScheduler;
  readonly clock: Clock;
  readonly log: EngineLogger;
  readonly timings?: Partial<EngineTimings>;
  /** Ids of new persistent volumes; random UUIDs by default. */
  readonly newVolumeId?: () => string;
}

/** Where a pod command sends an instance. */
export type PodCommand = "start" | "stop" | "restart";

type Command = (tick: Tick) => void;

/** Observations, and due keys (a job's key may create thousands of pods), between two yields. */
const YIELD_EVERY = 5000;
const YIELD_EVERY_KEYS = 500;

/**
 * The goal-state engine. It alone writes job and pod runtime: API commands, fleet reports and
 * timers become work for the next tick; a tick decides everything due with pure actions, writes
 * all of it in one transaction, and only then updates its cache and talks to the fleet. A tick
 * whose commit fails changes nothing and is retried with capped backoff.
 */
export class Engine {
  readonly #jobs = new Map<string, JobEntry>();
  readonly #queue = new DeadlineQueue<string>();
  readonly #inbox: PodObservation[] = [];
  readonly #commands: Command[] = [];
  readonly #timings: EngineTimings;
  /** Pods waiting for placement, by key. */
  readonly #pending = new Set<string>();
  /** Persistent volumes that are not DELETED. */
  readonly #volumes = new VolumeCache();
  /** Runs per host, as committed. */
  readonly #runs = new RunsOnHosts();
  #scheduleDirty = false;
  #nextScheduleAt = 0;
  #ticking: Promise<void> | undefined;
  #kicked = false;
  #cancelTimer: (() => void) | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #commitFailures = 0;
  /** After a failed commit, no tick runs before this time. */
  #blockedUntil = 0;
  #idleWaiters: (() => void)[] = [];
  #seq = 0;
  readonly #seqOf = new Map<string, number>();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;
  /** Hosts started or stopped draining: run the drain plan in the next tick even if no pod changed. */
  #drainReview = true;

  constructor(private readonly o: EngineOptions) {
    this.#timings = { ...DEFAULT_TIMINGS, ...o.timings };
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Rebuilds the cache from the store, asks the fleet where every run is, and starts working. */
  async start(): Promise<void> {
    for (const { job, templates, workflow } of await this.o.store.loadJobs()) {
      this.#jobs.set(job.id, { job, templates, pods: [], workflow });
      this.#queue.enqueue(jobKey(job.id), 0);
    }
    this.#volumes.load(await this.o.store.loadVolumes());
    const onHost: string[] = [];
    for await (const page of this.o.store.loadPods()) {
      for (const p of page) {
        const entry = this.#jobs.get(p.jobId);
        if (!entry) continue;
        this.#setPod(entry, p);
        this.#queue.enqueue(podKey(p.jobId, p.instance), 0);
        if (isOnHost(p.state) && p.state !== "PLACED") onHost.push(podId(p.jobId, p.instance, p.runId));
      }
    }
    this.#unsubscribe = this.o.fleet.subscribe((events) => this.#onFleet(events));
    // Runs the store says are on agents: the agents confirm them, or report them LOST.
    if (onHost.length > 0) this.o.fleet.reconcile(onHost);
    this.#schedule();
  }

  /** Stops ticking; a tick under way finishes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#cancelTimer?.();
    await this.#ticking;
  }

  /** Resolves once nothing is due now and no tick is running (tests await this after moving time). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // ---- commands (from the API) --------------------------------------------------------------

  /** A job the API has just stored, with its create workflow: the engine creates and runs its pods. */
  addJob(job: JobRecord, templates: Map<number, JobTemplates>, workflow?: WorkflowRecord): void {
    this.#jobs.set(job.id, { job, templates, pods: [], workflow });
    this.#queue.enqueue(jobKey(job.id), this.o.clock.now());
    this.#schedule();
  }

  /**
   * Moves a job towards a goal; resolves with its new version once that is stored. ABORTED when
   * `version` is not current; deleting a job that has not stopped needs `force`.
   */
  setJobGoal(
    jobId: string,
    goal: Extract<JobState, "RUNNING" | "KILLED" | "DELETED">,
    version: EntityVersion | undefined,
    force = false,
  ): Promise<JobRecord> {
    return this.#command((tick) => {
      const { entry, job } = this.#commandJob(tick, jobId, version);
      if (goal === "DELETED" && !force && !["KILLED", "SUCCEEDED", "FAILED"].includes(job.state)) {
        throw AppError.aborted("job is not stopped");
      }
      if (job.goalState === goal) return job;
      const next: JobRecord = {
        ...job,
        goalState: goal,
        desiredStateVersion: job.desiredStateVersion + 1,
        revision: job.revision + 1,
        updatedAt: tick.now,
      };
      this.#stageJob(tick, next);
      const podGoal = POD_GOAL_OF[goal]!;
      for (const p of entry.pods) {
        if (!p) continue;
        const cur = tick.pods.get(podKey(p.jobId, p.instance)) ?? p;
        if (cur.goal !== podGoal)
          this.#stagePod(tick, { ...cur, goal: podGoal, revision: cur.revision + 1 }, false);
        this.#queue.enqueue(podKey(p.jobId, p.instance), tick.now);
      }
      this.#queue.enqueue(jobKey(jobId), tick.now);
      return next;
    });
  }

  /** Starts, stops or restarts one instance; resolves once the new goal is stored. */
  podCommand(jobId: string, instance: number, command: PodCommand): Promise<PodRuntime> {
    return this.#command((tick) => {
      const { entry, job } = this.#commandJob(tick, jobId);
      const base = entry.pods[instance];
      if (!base) throw AppError.notFound(`pod ${podName(jobId, instance)} does not exist`);
      if (command !== "stop" && job.goalState === "KILLED") {
        // Starting a pod of a stopped job brings the job back: its goal is RUNNING again, while
        // its other pods stay stopped.
        this.#stageJob(tick, {
          ...job,
          goalState: "RUNNING",
          desiredStateVersion: job.desiredStateVersion + 1,
          revision: job.revision + 1,
          updatedAt: tick.now,
        });
        this.#queue.enqueue(jobKey(jobId), tick.now);
      }
      const pod = tick.pods.get(podKey(jobId, instance)) ?? base;
      let next: PodRuntime = pod;
      if (command === "start" && pod.goal !== "RUNNING") next = { ...pod, goal: "RUNNING" };
      if (command === "stop" && pod.goal !== "KILLED") next = { ...pod, goal: "KILLED" };
      if (command === "restart") {
        next = { ...pod, goal: "RUNNING" };
        if (isOnHost(pod.state) && pod.state !== "KILLING") {
          const t = this.#template(entry, pod);
          next = {
            ...next,
            state: "KILLING",
            message: "restarting on request",
            terminationReason: "KILLED_ON_REQUEST",
            updatedAt: tick.now,
          };
          tick.kills.push({ podId: podId(jobId, instance, pod.runId), gracePeriodMs: t.killGracePeriodMs });
        }
      }
      if (next !== pod)
        this.#stagePod(tick, { ...next, revision: pod.revision + 1 }, next.state !== pod.state);
      this.#queue.enqueue(podKey(jobId, instance), tick.now);
      return next;
    });
  }

  /**
   * Pauses, resumes or aborts a job's workflow; resolves with the job once stored. A command
   * that has nothing to do (no workflow under way, already paused, not paused) changes nothing
   * and answers the current version. ABORTED when `version` is not current.
   */
  workflowCommand(
    jobId: string,
    command: WorkflowCommand,
    version: EntityVersion | undefined,
    opaqueData: string | undefined,
  ): Promise<JobRecord> {
    return this.#command((tick) => {
      const { entry, job } = this.#commandJob(tick, jobId, version);
      const wf = tick.workflows.get(jobId) ?? entry.workflow;
      const next = wf && applyWorkflowCommand(wf, command, tick.now);
      if (!next) return job;
      const moved: JobRecord = {
        ...job,
        workflowVersion: job.workflowVersion + 1,
        revision: job.revision + 1,
        updatedAt: tick.now,
      };
      this.#stageJob(tick, moved);
      this.#stageWorkflow(tick, opaqueData === undefined ? next : { ...next, opaqueData });
      this.#queue.enqueue(jobKey(jobId), tick.now);
      return moved;
    });
  }

  /** Re-reads a job from the store (RefreshJob) and looks at it and its pods again. */
  async refreshJob(jobId: string): Promise<void> {
    const loaded = await this.o.store.loadJob(jobId);
    const entry = this.#jobs.get(jobId);
    if (!loaded || !entry) throw AppError.notFound(`job ${jobId} does not exist`);
    for (const [v, t] of loaded.templates) entry.templates.set(v, t);
    await this.#command((tick) => {
      this.#queue.enqueue(jobKey(jobId), tick.now);
      entry.pods.forEach((p, i) => {
        if (p) this.#queue.enqueue(podKey(jobId, i), tick.now);
      });
      this.o.fleet.reconcile(
        entry.pods.filter((p) => p && isOnHost(p.state)).map((p) => podId(jobId, p!.instance, p!.runId)),
      );
    });
  }

  /** Reloads one pod from the store and looks at it again (RefreshPod). */
  async refreshPod(jobId: string, instance: number): Promise<void> {
    const stored = await this.o.store.loadPod(jobId, instance);
    return this.#command((tick) => {
      const entry = this.#mustJob(jobId);
      if (!stored || !entry.pods[instance])
        throw AppError.notFound(`pod ${podName(jobId, instance)} does not exist`);
      this.#setPod(entry, stored);
      const p = stored;
      this.#queue.enqueue(podKey(jobId, instance), tick.now);
      if (isOnHost(p.state)) this.o.fleet.reconcile([podId(jobId, instance, p.runId)]);
    });
  }

  /**
   * The set of draining hosts changed (or a restart resumes a drain): the next tick looks at what
   * to move off them. Resolves once that tick is committed.
   */
  reviewDrains(): Promise<void> {
    return this.#command(() => {
      this.#drainReview = true;
    });
  }

  /** Runs of the engine's pods on this host (placed, running or being killed): what a drain waits for. */
  podsOnHost(hostname: string): number {
    return this.#runs.on(hostname);
  }

  /**
   * Deletes a persistent volume; FAILED_PRECONDITION while its pod has a run on a host. The
   * instance's next run may then go to any host. Resolves with the DELETED volume once stored.
   */
  deleteVolume(volumeId: string): Promise<VolumeRecord> {
    return this.#command((tick) => {
      const volume = this.#volumes.byId(tick.volumes, volumeId);
      if (!volume) throw AppError.notFound(`volume ${volumeId} does not exist`);
      const step = volumeDeletion(volume, this.#current(tick, volume.jobId, volume.instance), tick.now);
      tick.volumes.set(step.volume);
      if (step.pod) this.#stagePod(tick, step.pod, false);
      return step.volume;
    });
  }

  /** Something placement depends on changed (a pool, a host): offer pending pods again. */
  poke(): void {
    this.#scheduleDirty = true;
    this.#schedule();
  }

  // ---- reads (the cache) --------------------------------------------------------------------

  job(jobId: string): JobRecord | undefined {
    return this.#jobs.get(jobId)?.job;
  }

  pod(jobId: string, instance: number): PodRuntime | undefined {
    return this.#jobs.get(jobId)?.pods[instance];
  }

  /** A job's latest workflow as the engine has it. */
  workflow(jobId: string): WorkflowRecord | undefined {
    return this.#jobs.get(jobId)?.workflow;
  }

  pods(jobId: string): readonly PodRuntime[] {
    return (this.#jobs.get(jobId)?.pods ?? []).filter((p): p is PodRuntime => p !== undefined);
  }

  /** The instance's persistent volume, unless it has none (or it is DELETED). */
  volume(jobId: string, instance: number): VolumeRecord | undefined {
    return this.#volumes.current(NO_STAGED, jobId, instance);
  }

  templateFor(pod: PodRuntime): PodTemplate | undefined {
    const entry = this.#jobs.get(pod.jobId);
    return entry && this.#template(entry, pod);
  }

  /**
   * What the pods on hosts hold, per leaf pool: regular resources, and slack (the cpu of
   * revocable pods, which runs on revocable resources).
   */
  allocationByPool(): Map<string, { allocation: Resources; slack: Resources }> {
    const out = new Map<string, { allocation: Resources; slack: Resources }>();
    for (const entry of this.#jobs.values()) {
      for (const p of entry.pods) {
        if (!p || !isOnHost(p.state)) continue;
        const t = this.#template(entry, p);
        const use = out.get(entry.job.respoolId) ?? { allocation: ZERO, slack: ZERO };
        const slackCpu = t.revocable ? t.resources.cpu : 0;
        out.set(entry.job.respoolId, {
          allocation: add(use.allocation, { ...t.resources, cpu: t.resources.cpu - slackCpu }),
          slack: add(use.slack, { ...ZERO, cpu: slackCpu }),
        });
      }
    }
    return out;
  }

  // ---- the tick ------------------------------------------------------------------------------

  #command<T>(apply: (tick: Tick) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#commands.push((tick) => {
        let result: T;
        try {
          result = apply(tick);
        } catch (e) {
          reject(e);
          return;
        }
        tick.done.push(() => resolve(result));
        tick.failed.push(reject);
      });
      this.#schedule();
    });
  }

  #onFleet(events: readonly (PodObservation | { kind: "host" })[]): void {
    for (const e of events) {
      if (e.kind === "pod") this.#inbox.push(e as PodObservation);
      else this.#scheduleDirty = true;
    }
    this.#schedule();
  }

  #dueNow(): boolean {
    const now = this.o.clock.now();
    if (now < this.#blockedUntil) return false;
    const next = this.#queue.peek();
    return (
      this.#inbox.length > 0 ||
      this.#commands.length > 0 ||
      (next !== undefined && next <= now) ||
      (this.#pending.size > 0 && (this.#scheduleDirty || this.#nextScheduleAt <= now))
    );
  }

  #isIdle(): boolean {
    return !this.#ticking && !this.#kicked && !this.#dueNow();
  }

  /** Runs a tick soon when work is due now; otherwise sets the clock for the next deadline. */
  #schedule(): void {
    if (this.#stopped) return;
    if (this.#ticking || this.#kicked) return;
    if (this.#dueNow()) {
      this.#kicked = true;
      setImmediate(() => {
        this.#kicked = false;
        this.#runTick();
      });
      return;
    }
    const waiting = this.#inbox.length > 0 || this.#commands.length > 0 ? this.#blockedUntil : undefined;
    const deadlines = [
      this.#queue.peek(),
      this.#pending.size > 0 ? this.#nextScheduleAt : undefined,
      waiting,
    ].filter((d): d is number => d !== undefined);
    const next = Math.max(this.#blockedUntil, Math.min(...deadlines));
    if (Number.isFinite(next) && next < this.#timerAt) {
      this.#cancelTimer?.();
      this.#timerAt = next;
      this.#cancelTimer = this.o.clock.setTimer(next - this.o.clock.now(), () => {
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#cancelTimer = undefined;
        this.#schedule();
      });
    }
    if (this.#isIdle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #runTick(): void {
    if (this.#stopped || this.#ticking) return;
    this.#ticking = this.#tick()
      .catch((e: unknown) => this.o.log.error({ err: e }, "engine tick failed"))
      .finally(() => {
        this.#ticking = undefined;
        this.#schedule();
      });
  }

  async #tick(): Promise<void> {
    const tick = new Tick(this.o.clock.now());
    for (const c of this.#commands.splice(0)) c(tick);
    const observations = this.#inbox.splice(0);
    // A tick of a large cluster handles tens of thousands of items: it lets the event loop
    // serve API calls in between (what it stages is not seen before the commit anyway).
    for (let i = 0; i < observations.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      this.#observe(tick, observations[i]!);
    }
    const due = this.#queue.popDue(tick.now);
    for (let i = 0; i < due.length; i++) {
      if (i > 0 && i % YIELD_EVERY_KEYS === 0) await yieldToEventLoop();
      tick.touched.add(due[i]!);
      this.#decide(tick, due[i]!);
    }
    if (this.#pending.size > 0 || [...tick.pods.values()].some((p) => p.state === "PENDING")) {
      if (this.#scheduleDirty || this.#nextScheduleAt <= tick.now || tick.scheduleAgain)
        await this.#scheduleRound(tick);
    }
    const drainReview = this.#drainReview;
    this.#drainHosts(tick, drainReview);

    try {
      await this.o.store.commit(tick.batch());
    } catch (e) {
      this.#commitFailures++;
      const retryAt =
        tick.now +
        backoffMs(this.#commitFailures, this.#timings.commitRetryMs, 32 * this.#timings.commitRetryMs);
      this.o.log.error(
        { err: e, attempt: this.#commitFailures, retryInMs: retryAt - tick.now },
        "engine commit failed; retrying",
      );
      this.#inbox.unshift(...observations);
      for (const key of tick.touched) this.#queue.enqueue(key, retryAt);
      this.#scheduleDirty = true;
      this.#blockedUntil = retryAt;
      for (const f of tick.failed)
        f(new AppError("UNAVAILABLE", "the database did not take the change; try again"));
      return;
    }
    this.#commitFailures = 0;
    if (drainReview) this.#drainReview = false;
    this.#apply(tick);
    if (tick.launches.length > 0) this.o.fleet.launch(tick.launches);
    if (tick.kills.length > 0) this.o.fleet.kill(tick.kills);
    for (const [key, at] of tick.rechecks) this.#queue.enqueue(key, at);
    for (const d of tick.done) d();
  }

  #apply(tick: Tick): void {
    let left = tick.deleteJobs.size > 0;
    for (const [id, entry] of tick.newJobs) this.#jobs.set(id, entry);
    for (const j of tick.jobs.values()) {
      const entry = this.#jobs.get(j.id);
      if (entry) entry.job = j;
    }
    for (const w of tick.workflows.values()) {
      const entry = this.#jobs.get(w.jobId);
      if (entry) entry.workflow = w;
    }
    for (const p of tick.pods.values()) {
      const entry = this.#jobs.get(p.jobId);
      if (!entry) continue;
      const before = this.#setPod(entry, p);
      if (before && isOnHost(before.state) && !isOnHost(p.state)) this.#scheduleDirty = true;
      // A run ended (the pod may be on another host already: restarted and placed in this tick).
      if (before?.host && isOnHost(before.state) && (!isOnHost(p.state) || p.runId !== before.runId))
        left = true;
    }
    this.#volumes.apply(tick.volumes.values());
    for (const id of tick.deleteJobs) {
      const entry = this.#jobs.get(id);
      entry?.pods.forEach((p, i) => {
        if (!p) return;
        this.#runs.move(p, undefined);
        this.#pending.delete(podKey(id, i));
        this.#queue.delete(podKey(id, i));
      });
      this.#queue.delete(jobKey(id));
      this.#jobs.delete(id);
      this.#volumes.dropJob(id);
      this.#scheduleDirty = true;
    }
    if (left) this.o.hosts.podsLeftHosts();
  }

  /** Puts a pod's runtime in the cache (as committed); answers the one it replaces. */
  #setPod(entry: JobEntry, p: PodRuntime): PodRuntime | undefined {
    const before = entry.pods[p.instance];
    entry.pods[p.instance] = p;
    this.#runs.move(before, p);
    this.#track(p);
    return before;
  }

  #track(p: PodRuntime): void {
    const key = podKey(p.jobId, p.instance);
    if (p.state === "PENDING") {
      if (!this.#pending.has(key)) {
        this.#pending.add(key);
        this.#seqOf.set(key, this.#seq++);
        this.#scheduleDirty = true;
      }
    } else {
      this.#pending.delete(key);
      this.#seqOf.delete(key);
    }
  }

  // ---- decisions -----------------------------------------------------------------------------

  #stagePod(tick: Tick, p: PodRuntime, event: boolean): void {
    const key = podKey(p.jobId, p.instance);
    tick.pods.set(key, p);
    tick.touched.add(key);
    tick.touched.add(jobKey(p.jobId));
    if (p.state === "PENDING") tick.scheduleAgain = true;
    // Whatever a pod does can change its job's state.
    this.#queue.enqueue(jobKey(p.jobId), tick.now);
    if (event) {
      tick.events.push({
        jobId: p.jobId,
        instance: p.instance,
        runId: p.runId,
        actualState: p.state,
        // A pod's goal is itself a pod state (RUNNING, KILLED or DELETED).
        desiredState: p.goal,
        configVersion: p.configVersion,
        desiredConfigVersion: p.desiredConfigVersion,
        agentId: p.agentId ?? "",
        hostname: p.host ?? "",
        message: p.message,
        reason: p.reason,
        prevRunId: p.prevRunId,
        healthy: p.healthy,
        at: p.updatedAt,
      });
    }
  }

  #stageJob(tick: Tick, j: JobRecord): void {
    tick.jobs.set(j.id, j);
    tick.touched.add(jobKey(j.id));
  }

  /** Stages a workflow's new record, with an event when its state changed. */
  #stageWorkflow(tick: Tick, w: WorkflowRecord): void {
    const before = tick.workflows.get(w.jobId) ?? this.#jobs.get(w.jobId)?.workflow;
    tick.workflows.set(w.jobId, w);
    tick.touched.add(jobKey(w.jobId));
    if (before?.state !== w.state) tick.workflowEvents.push(workflowEvent(w, tick.now));
  }

  /**
   * The job a command acts on, as this tick sees it: NOT_FOUND when it is unknown or being
   * deleted, ABORTED when `version` is given and is not its current version.
   */
  #commandJob(tick: Tick, jobId: string, version?: EntityVersion): { entry: JobEntry; job: JobRecord } {
    const entry = this.#mustJob(jobId);
    const job = tick.jobs.get(jobId) ?? entry.job;
    if (version) expectVersion(versionOf(job), version);
    if (job.goalState === "DELETED") throw AppError.notFound(`job ${jobId} is being deleted`);
    return { entry, job };
  }

  #mustJob(jobId: string): JobEntry {
    const entry = this.#jobs.get(jobId);
    if (!entry) throw AppError.notFound(`job ${jobId} does not exist`);
    return entry;
  }

  #template(entry: JobEntry, pod: PodRuntime): PodTemplate {
    const templates = entry.templates.get(pod.configVersion) ?? entry.templates.get(entry.job.configVersion)!;
    return templateOf(templates, pod.instance);
  }

  #current(tick: Tick, jobId: string, instance: number): PodRuntime | undefined {
    return tick.pods.get(podKey(jobId, instance)) ?? this.#jobs.get(jobId)?.pods[instance];
  }

  #observe(tick: Tick, o: PodObservation): void {
    const id = parsePodId(o.podId);
    if (!id) return;
    const pod = this.#current(tick, id.jobId, id.instance);
    if (!pod) {
      // A run of a job that no longer exists: make sure it does not keep running.
      if (!["SUCCEEDED", "FAILED", "KILLED", "LOST"].includes(o.state))
        tick.kills.push({ podId: o.podId, gracePeriodMs: 0 });
      return;
    }
    // The transition happened when the agent saw it, which may be a little before this tick.
    const step = observe(pod, o, Math.min(o.at, tick.now));
    if (step.killStale) tick.kills.push({ podId: step.killStale, gracePeriodMs: 0 });
    this.#applyStep(tick, pod, step);
  }

  #applyStep(tick: Tick, pod: PodRuntime, step: PodStep): void {
    const key = podKey(pod.jobId, pod.instance);
    const next = step.pod ?? pod;
    if (step.pod) this.#stagePod(tick, step.pod, step.event ?? false);
    const entry = this.#jobs.get(pod.jobId)!;
    if (step.launch && next.host) {
      const t = this.#template(entry, next);
      tick.launches.push({
        podId: podId(next.jobId, next.instance, next.runId),
        hostname: next.host,
        resources: t.resources,
        ports: next.ports,
        containers: t.containers.map((c) => ({
          name: c.name,
          command: c.command,
          ...(c.liveness ? { livenessCheck: c.liveness } : {}),
        })),
      });
    }
    if (step.kill) {
      tick.kills.push({
        podId: podId(next.jobId, next.instance, pod.runId),
        gracePeriodMs: this.#template(entry, next).killGracePeriodMs,
      });
    }
    if (step.recheckAt !== undefined) {
      if (step.recheckAt <= tick.now) this.#decide(tick, key);
      else tick.rechecks.push([key, step.recheckAt]);
    }
  }

  #decide(tick: Tick, key: string): void {
    const [kind, jobId, instance] = key.split(":") as ["p" | "j", string, string?];
    const entry = this.#jobs.get(jobId);
    if (!entry) return;
    if (kind === "j") {
      this.#decideJob(tick, entry);
      return;
    }
    const pod = this.#current(tick, jobId, Number(instance));
    if (!pod) return;
    const action = podActionFor(pod.goal, pod.state);
    if (action === "invalid") {
      this.o.log.warn(
        { pod: podName(jobId, pod.instance), goal: pod.goal, state: pod.state },
        "no action for this goal and state",
      );
      return;
    }
    const step = POD_ACTIONS[action]({
      pod,
      template: this.#template(entry, pod),
      now: tick.now,
      timings: this.#timings,
    });
    this.#applyStep(tick, pod, step);
  }

  #decideJob(tick: Tick, entry: JobEntry): void {
    const job = tick.jobs.get(entry.job.id) ?? entry.job;
    // Hot: every tick that touches a job reads all its pods (a plain map, not the generator).
    const pods = entry.pods.map((p, i) =>
      p ? (tick.pods.get(podKey(job.id, i)) ?? p) : tick.pods.get(podKey(job.id, i)),
    );
    const templates = entry.templates.get(job.configVersion)!;
    const room = this.#timings.podsCreatedPerTick - tick.created;
    const wf = tick.workflows.get(job.id) ?? entry.workflow;
    const flow = wf && workflowStep(wf, job, templates, pods, tick.now, room);
    if (flow?.workflow) this.#stageWorkflow(tick, flow.workflow);
    const step = jobStep(job, templates, pods, tick.now, room, flow);
    tick.created += step.newPods.length;
    if (step.delete) {
      tick.deleteJobs.add(job.id);
      tick.touched.add(jobKey(job.id));
      return;
    }
    for (const p of step.newPods) {
      this.#stagePod(tick, p, true);
      this.#decide(tick, podKey(p.jobId, p.instance));
    }
    if (step.job) this.#stageJob(tick, step.job);
    // Pod creation is bounded per tick over all jobs: a job that had to stop short comes back in
    // the next tick; otherwise its pods' changes bring it back.
    const created = pods.filter(Boolean).length + step.newPods.length;
    const more = flow ? flow.more : created < job.instanceCount;
    if (step.newPods.length >= room && more) tick.rechecks.push([jobKey(job.id), tick.now]);
  }

  // ---- scheduling ----------------------------------------------------------------------------

  async #scheduleRound(tick: Tick): Promise<void> {
    this.#scheduleDirty = false;
    this.#nextScheduleAt = tick.now + this.#timings.scheduleIntervalMs;
    const pendingKeys = new Set(this.#pending);
    for (const [key, p] of tick.pods) {
      if (p.state === "PENDING") pendingKeys.add(key);
      else pendingKeys.delete(key);
    }
    if (pendingKeys.size === 0) return;

    const pending: PendingPod[] = [];
    for (const key of pendingKeys) {
      const [, jobId, inst] = key.split(":") as [string, string, string];
      const entry = this.#jobs.get(jobId);
      const pod = entry && this.#current(tick, jobId, Number(inst));
      if (!entry || !pod) continue;
      if (!this.#seqOf.has(key)) this.#seqOf.set(key, this.#seq++);
      pending.push({
        job: entry.job,
        pod,
        template: this.#template(entry, pod),
        seq: this.#seqOf.get(key)!,
        volume: this.#volumes.current(tick.volumes, jobId, pod.instance),
      });
    }
    const { placed, waiting, preempt } = await schedulingRound(
      {
        now: tick.now,
        pending,
        onHost: this.#onHost(tick),
        hosts: this.o.hosts.list(),
        volumes: this.#volumes.live(tick.volumes),
      },
      this.o.scheduler,
    );
    for (const p of waiting) this.#stagePod(tick, p, false);
    for (const v of preempt) this.#preempt(tick, v.pod, v.template, v.reason);
    const newId = this.o.newVolumeId ?? randomUUID;
    for (const [i, placedPod] of placed.entries()) {
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      // A pod whose spec asks for a volume gets it on its first host, in this same commit.
      const entry = this.#jobs.get(placedPod.jobId)!;
      const existing = this.#volumes.current(tick.volumes, placedPod.jobId, placedPod.instance);
      const withVolume = volumeOnPlacement(
        placedPod,
        this.#template(entry, placedPod),
        existing,
        tick.now,
        newId,
      );
      if (withVolume.volume) tick.volumes.set(withVolume.volume);
      const p = withVolume.pod;
      this.#stagePod(tick, p, true);
      this.#decide(tick, podKey(p.jobId, p.instance));
    }
  }

  /**
   * Frees a victim's resources for a starved pool: the run is killed; it comes back as a new run
   * (waiting for admission again) unless its spec says `kill_on_preempt`.
   */
  #preempt(tick: Tick, pod: PodRuntime, template: PodTemplate, reason: string): void {
    if (pod.state === "KILLING" || pod.state === "PREEMPTING" || !isOnHost(pod.state)) return;
    const next: PodRuntime = {
      ...pod,
      state: "PREEMPTING",
      goal: template.killOnPreempt ? "KILLED" : pod.goal,
      message: `preempted: ${reason}`,
      terminationReason: "PREEMPTED_RESOURCES",
      updatedAt: tick.now,
      revision: pod.revision + 1,
    };
    this.#applyStep(tick, pod, {
      pod: next,
      event: true,
      kill: true,
      recheckAt: tick.now + template.killGracePeriodMs + this.#timings.killTimeoutMs,
    });
  }

  /**
   * Host maintenance: kills the runs on draining hosts that the drain plan (src/engine/host/
   * drain-plan.ts) allows now, within each job's maximum_unavailable_instances. Runs when the
   * draining hosts changed or pods changed this tick (a moved pod RUNNING again frees budget).
   */
  #drainHosts(tick: Tick, review: boolean): void {
    if (!review && tick.pods.size === 0) return;
    const draining = this.o.hosts.draining();
    if (draining.size === 0) return;
    const jobs = [...this.#jobs.values()].map((entry) => ({
      id: entry.job.id,
      maxUnavailable: entry.job.maxUnavailable,
      pods: this.#podsNow(tick, entry),
    }));
    for (const { jobId, pod } of drainPlan<PodRuntime>(jobs, draining)) {
      const entry = this.#jobs.get(jobId)!;
      const step = maintenanceKill({
        pod,
        template: this.#template(entry, pod),
        now: tick.now,
        timings: this.#timings,
      });
      this.#applyStep(tick, pod, step);
    }
  }

  /** A job's pods as this tick sees them. */
  *#podsNow(tick: Tick, entry: JobEntry): Generator<PodRuntime | undefined> {
    for (let i = 0; i < entry.pods.length; i++) yield this.#current(tick, entry.job.id, i);
  }

  /** The pods holding resources on hosts, as this tick sees them. */
  *#onHost(tick: Tick): Generator<RoundPod> {
    // Only the jobs this tick changed pods of need a look at its changes (a key per pod).
    const staged = new Set<string>();
    for (const p of tick.pods.values()) staged.add(p.jobId);
    for (const entry of this.#jobs.values()) {
      const changed = staged.has(entry.job.id);
      for (let i = 0; i < entry.pods.length; i++) {
        const pod = changed ? this.#current(tick, entry.job.id, i) : entry.pods[i];
        if (pod && isOnHost(pod.state) && pod.host)
          yield { job: entry.job, pod, template: this.#template(entry, pod) };
      }
    }
  }
}

export const versionOf = (j: JobRecord): EntityVersion => ({
  config: j.configVersion,
  desiredState: j.desiredStateVersion,
  workflow: j.workflowVersion,
});
