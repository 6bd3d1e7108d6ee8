import type { HostSpec } from "../domain/host.js";
import { RESOURCE_KINDS } from "../domain/resources.js";
import { AppError } from "../lib/app-error.js";
import type { Clock } from "../lib/clock.js";
import type { PodOutcome } from "./command-outcome.js";
import { EventQueue } from "./event-queue.js";
import { type CheckPlan, LaunchPlanner } from "./launch-plan.js";
import {
  type Fleet,
  type FleetEvent,
  type FleetFaults,
  type FleetHost,
  type FleetListener,
  type FleetPodState,
  type FleetReason,
  type HealthState,
  type HostInventory,
  isTerminalFleetPodState,
  type PodKill,
  type PodLaunch,
  type PodStatusUpdate,
  type SandboxBrowser,
  type SandboxListing,
} from "./ports.js";
import { sandboxListing } from "./sandbox.js";
import { agentIdOf, hostEvent, misfitOf, Run, rejected, SimHost, unknownPod, update } from "./sim-host.js";

/** Simulated timings, in simulated milliseconds (scaled by the time factor). */
export interface FleetTimings {
  /** From launch to LAUNCHED. */
  readonly launchDelayMs: number;
  /** From LAUNCHED to STARTING. */
  readonly startingDelayMs: number;
  /** From STARTING to RUNNING; the command's clock starts at RUNNING. */
  readonly startDelayMs: number;
  /** From a kill to KILLED, unless the kill's grace period is shorter. */
  readonly killDelayMs: number;
}

export const DEFAULT_TIMINGS: FleetTimings = Object.freeze({
  launchDelayMs: 200,
  startingDelayMs: 100,
  startDelayMs: 300,
  killDelayMs: 200,
});

export interface SimulatedFleetOptions extends Partial<FleetTimings> {
  readonly clock: Clock;
  readonly hosts: readonly HostSpec[];
  /**
   * Multiplies every simulated duration (delays, sleeps, health-check intervals, grace periods):
   * 1 is real time, 0.01 runs a hundred times faster. Default 1.
   */
  readonly timeFactor?: number;
  /** Finished runs each host remembers (for sandbox browsing and re-reports). Default 16. */
  readonly historyPerHost?: number;
}

type Item =
  | {
      readonly kind: "launched" | "starting" | "running" | "exit" | "killed";
      readonly run: Run;
      readonly token: number;
    }
  | { readonly kind: "check"; readonly run: Run; readonly token: number; readonly check: number }
  | { readonly kind: "report"; readonly run: Run; readonly message: string }
  | { readonly kind: "report-host"; readonly host: SimHost; readonly generation: number }
  | { readonly kind: "report-all" }
  | { readonly kind: "emit"; readonly event: FleetEvent };

const checkTiming = (name: string, v: number | undefined, fallback: number): number => {
  const value = v ?? fallback;
  if (!Number.isFinite(value) || value < 0) throw AppError.invalid(name, "must be a finite number >= 0");
  return value;
};

/**
 * A fleet of simulated agent hosts. Pods run commands in the tiny command language; all waiting
 * goes through the Clock (one timer at a time, over an event queue), and every event is delivered
 * from a timer callback, batched per tick.
 */
export class SimulatedFleet implements Fleet, SandboxBrowser, HostInventory, FleetFaults {
  readonly #clock: Clock;
  readonly #timings: FleetTimings;
  readonly #factor: number;
  readonly #historyPerHost: number;
  readonly #hosts = new Map<string, SimHost>();
  readonly #hostList: SimHost[] = [];
  /** Runs by pod id: every unfinished run, and finished ones still in their host's history. */
  readonly #runs = new Map<string, Run>();
  readonly #planner = new LaunchPlanner();
  readonly #queue = new EventQueue<Item>();
  readonly #listeners = new Set<FleetListener>();
  #armedAt: number | undefined;
  #cancelTimer: (() => void) | undefined;
  #ticking = false;

  constructor(options: SimulatedFleetOptions) {
    this.#clock = options.clock;
    this.#timings = {
      launchDelayMs: checkTiming("launchDelayMs", options.launchDelayMs, DEFAULT_TIMINGS.launchDelayMs),
      startingDelayMs: checkTiming(
        "startingDelayMs",
        options.startingDelayMs,
        DEFAULT_TIMINGS.startingDelayMs,
      ),
      startDelayMs: checkTiming("startDelayMs", options.startDelayMs, DEFAULT_TIMINGS.startDelayMs),
      killDelayMs: checkTiming("killDelayMs", options.killDelayMs, DEFAULT_TIMINGS.killDelayMs),
    };
    this.#factor = options.timeFactor ?? 1;
    if (!Number.isFinite(this.#factor) || this.#factor <= 0) {
      throw AppError.invalid("timeFactor", "must be a finite number > 0");
    }
    this.#historyPerHost = options.historyPerHost ?? 16;
    if (!Number.isInteger(this.#historyPerHost) || this.#historyPerHost < 0) {
      throw AppError.invalid("historyPerHost", "must be an integer >= 0");
    }
    for (const [i, spec] of options.hosts.entries()) {
      if (this.#hosts.has(spec.hostname)) {
        throw AppError.invalid(`hosts[${i}].hostname`, `duplicate hostname ${JSON.stringify(spec.hostname)}`);
      }
      const host = new SimHost(spec);
      this.#hosts.set(spec.hostname, host);
      this.#hostList.push(host);
    }
  }

  // ---- Fleet ----

  launch(pods: readonly PodLaunch[]): void {
    const now = this.#clock.now();
    for (const pod of pods) this.#launchOne(pod, now);
    this.#arm();
  }

  kill(pods: readonly PodKill[]): void {
    const now = this.#clock.now();
    for (const pod of pods) this.#killOne(pod, now);
    this.#arm();
  }

  reconcile(podIds?: readonly string[]): void {
    const now = this.#clock.now();
    if (podIds === undefined) {
      this.#queue.push(now, { kind: "report-all" });
    } else {
      for (const podId of podIds) {
        const run = this.#runs.get(podId);
        if (run) {
          // A run that has not reported LAUNCHED yet will report soon enough.
          if (run.state !== undefined) this.#queue.push(now, { kind: "report", run, message: run.message });
        } else {
          this.#emit(now, unknownPod(podId, now, "reconciliation: pod run unknown to the fleet"));
        }
      }
    }
    this.#arm();
  }

  subscribe(listener: FleetListener): () => void {
    // Wrap so the same function can subscribe twice and unsubscribe each independently.
    const entry: FleetListener = (events) => listener(events);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  // ---- SandboxBrowser ----

  browseSandbox(podId: string): SandboxListing | undefined {
    const run = this.#runs.get(podId);
    if (!run) return undefined;
    const names = run.launch.containers.map((c) => c.name);
    return sandboxListing(podId, run.host.spec.hostname, run.agentId, names);
  }

  // ---- HostInventory ----

  listHosts(): readonly FleetHost[] {
    return this.#hostList;
  }

  getHost(hostname: string): FleetHost | undefined {
    return this.#hosts.get(hostname);
  }

  // ---- FleetFaults ----

  hostDown(hostname: string, message = "host went down"): void {
    const host = this.#host(hostname);
    if (host.state === "DOWN") return;
    const now = this.#clock.now();
    host.state = "DOWN";
    this.#emit(now, hostEvent(host, now, message));
    for (const run of [...host.active]) {
      const text = `${hostname} is down: ${message}`;
      this.#emit(now, this.#finish(run, now, "LOST", "REASON_AGENT_DISCONNECTED", text));
    }
    this.#arm();
  }

  hostUp(hostname: string): void {
    const host = this.#host(hostname);
    if (host.state === "UP") return;
    const now = this.#clock.now();
    host.state = "UP";
    host.generation++;
    host.agentId = agentIdOf(hostname, host.generation);
    this.#emit(now, hostEvent(host, now, "host came up"));
    this.#arm();
  }

  restartAgent(hostname: string, downtimeMs = 0): void {
    const host = this.#host(hostname);
    if (host.state === "DOWN") throw AppError.failedPrecondition(`host ${hostname} is down`);
    const at = this.#clock.now() + this.#scale(Math.max(0, downtimeMs));
    this.#queue.push(at, { kind: "report-host", host, generation: host.generation });
    this.#arm();
  }

  setLaunchSlowdown(hostname: string, extraMs: number): void {
    const host = this.#host(hostname);
    if (!Number.isFinite(extraMs) || extraMs < 0) {
      throw AppError.invalid("extraMs", "must be a finite number >= 0");
    }
    host.extraLaunchDelayMs = extraMs;
  }

  // ---- Inspection (tests, GetPodCache-style reads) ----

  /** The current state of a run as a reconciliation would report it; undefined before LAUNCHED. */
  podStatus(podId: string): PodStatusUpdate | undefined {
    const run = this.#runs.get(podId);
    if (!run || run.state === undefined) return undefined;
    return update(run, this.#clock.now(), run.reason, run.message);
  }

  /** Number of events waiting in the queue (health checks, lifecycle steps, deliveries). */
  get pendingEvents(): number {
    return this.#queue.size;
  }

  // ---- internals ----

  #host(hostname: string): SimHost {
    const host = this.#hosts.get(hostname);
    if (!host) throw AppError.notFound(`host ${hostname} not found`);
    return host;
  }

  #scale(simMs: number): number {
    return simMs * this.#factor;
  }

  #launchOne(pod: PodLaunch, now: number): void {
    const existing = this.#runs.get(pod.podId);
    if (existing) {
      // Launching the same run twice is idempotent: re-report what it is doing.
      if (existing.state !== undefined) {
        this.#queue.push(now, { kind: "report", run: existing, message: "pod run already launched" });
      }
      return;
    }
    const host = this.#hosts.get(pod.hostname);
    if (!host) {
      this.#emit(
        now,
        rejected(pod, "", now, "LOST", "REASON_AGENT_UNKNOWN", `no host named ${pod.hostname}`),
      );
      return;
    }
    if (host.state === "DOWN") {
      const text = `${pod.hostname} is down`;
      this.#emit(now, rejected(pod, host.agentId, now, "LOST", "REASON_AGENT_DISCONNECTED", text));
      return;
    }
    const plan = this.#planner.plan(pod);
    if (typeof plan === "string") {
      this.#emit(now, rejected(pod, host.agentId, now, "FAILED", "REASON_TASK_INVALID", plan));
      return;
    }
    const misfit = misfitOf(host, pod);
    if (misfit !== undefined) {
      this.#emit(now, rejected(pod, host.agentId, now, "FAILED", "REASON_INVALID_OFFERS", misfit));
      return;
    }
    const run = new Run(pod, host, host.agentId, plan);
    for (const kind of RESOURCE_KINDS) host.allocated[kind] += pod.resources[kind];
    for (const port of Object.values(pod.ports)) host.usedPorts.add(port);
    host.active.add(run);
    this.#runs.set(pod.podId, run);
    const delay = this.#scale(this.#timings.launchDelayMs + host.extraLaunchDelayMs);
    this.#queue.push(now + delay, { kind: "launched", run, token: run.token });
  }

  #killOne(pod: PodKill, now: number): void {
    const run = this.#runs.get(pod.podId);
    if (!run) {
      this.#emit(now, unknownPod(pod.podId, now, "kill: pod run unknown to the fleet"));
      return;
    }
    if (run.state !== undefined && isTerminalFleetPodState(run.state)) {
      this.#queue.push(now, { kind: "report", run, message: run.message });
      return;
    }
    if (run.killing) return;
    run.killing = true;
    run.token++;
    const grace = Number.isFinite(pod.gracePeriodMs) ? Math.max(0, pod.gracePeriodMs) : 0;
    const graceful = this.#timings.killDelayMs <= grace;
    run.signal = graceful ? "SIGTERM" : "SIGKILL";
    const delay = this.#scale(Math.min(this.#timings.killDelayMs, grace));
    this.#queue.push(now + delay, { kind: "killed", run, token: run.token });
  }

  #emit(at: number, event: FleetEvent): void {
    this.#queue.push(at, { kind: "emit", event });
  }

  /** Keeps one clock timer armed for the earliest queued event. */
  #arm(): void {
    if (this.#ticking) return;
    const at = this.#queue.peekAt();
    if (at === undefined || (this.#armedAt !== undefined && this.#armedAt <= at)) return;
    this.#cancelTimer?.();
    this.#armedAt = at;
    this.#cancelTimer = this.#clock.setTimer(at - this.#clock.now(), () => this.#tick());
  }

  #tick(): void {
    this.#armedAt = undefined;
    this.#cancelTimer = undefined;
    const out: FleetEvent[] = [];
    this.#ticking = true;
    try {
      const now = this.#clock.now();
      for (let e = this.#queue.popDue(now); e; e = this.#queue.popDue(now)) this.#process(e.at, e.item, out);
    } finally {
      this.#ticking = false;
      this.#arm();
    }
    if (out.length > 0) this.#deliver(out);
  }

  #deliver(events: readonly FleetEvent[]): void {
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.#listeners]) {
      try {
        listener(events);
      } catch (error) {
        failure ??= { error };
      }
    }
    // Every listener has had its batch; now surface the first failure rather than hide it.
    if (failure) throw failure.error;
  }

  #process(at: number, item: Item, out: FleetEvent[]): void {
    switch (item.kind) {
      case "emit":
        out.push(item.event);
        return;
      case "report":
        if (item.run.state !== undefined) {
          out.push(update(item.run, at, "REASON_RECONCILIATION", item.message));
        }
        return;
      case "report-host": {
        const host = item.host;
        if (host.state === "DOWN" || host.generation !== item.generation) return;
        for (const run of host.active) {
          if (run.state !== undefined) {
            out.push(update(run, at, "REASON_RECONCILIATION", "agent restarted; state re-reported"));
          }
        }
        return;
      }
      case "report-all":
        for (const host of this.#hostList) {
          for (const run of host.active) {
            if (run.state !== undefined) out.push(update(run, at, "REASON_RECONCILIATION", run.message));
          }
        }
        return;
    }
    const run = item.run;
    if (item.token !== run.token) return;
    const t = this.#timings;
    switch (item.kind) {
      case "launched":
        out.push(this.#advance(run, at, "LAUNCHED"));
        this.#queue.push(at + this.#scale(t.startingDelayMs), { kind: "starting", run, token: run.token });
        return;
      case "starting":
        out.push(this.#advance(run, at, "STARTING"));
        this.#queue.push(at + this.#scale(t.startDelayMs), { kind: "running", run, token: run.token });
        return;
      case "running":
        this.#startRunning(run, at, out);
        return;
      case "exit":
        out.push(this.#exit(run, at, run.plan.outcome));
        return;
      case "killed": {
        const message = `killed on request (${run.signal})`;
        const reason = run.state === "RUNNING" ? undefined : "REASON_TASK_KILLED_DURING_LAUNCH";
        out.push(this.#finish(run, at, "KILLED", reason, message));
        return;
      }
      case "check":
        this.#check(run, at, item.check, out);
        return;
    }
  }

  #advance(run: Run, at: number, state: FleetPodState): PodStatusUpdate {
    run.state = state;
    run.message = "";
    return update(run, at, undefined, "");
  }

  #startRunning(run: Run, at: number, out: FleetEvent[]): void {
    const checks = run.plan.checks;
    if (checks) {
      run.health = "UNKNOWN";
      run.checkFailures = checks.map(() => 0);
      run.checkHealth = checks.map(() => "UNKNOWN");
    }
    run.runningAt = at;
    out.push(this.#advance(run, at, "RUNNING"));
    const outcome = run.plan.outcome;
    if (outcome.ends) {
      this.#queue.push(at + this.#scale(outcome.seconds * 1000), { kind: "exit", run, token: run.token });
    }
    checks?.forEach((c, i) => {
      this.#scheduleCheck(run, at + this.#scale(c.initialIntervalSecs * 1000), c, i);
    });
  }

  /** Schedules the check that starts at `start`, unless its container has ended by then. */
  #scheduleCheck(run: Run, start: number, c: CheckPlan, i: number): void {
    if (start >= run.runningAt + this.#scale(c.containerSeconds * 1000)) return;
    this.#queue.push(start + this.#scale(c.result.seconds * 1000), {
      kind: "check",
      run,
      token: run.token,
      check: i,
    });
  }

  #check(run: Run, at: number, i: number, out: FleetEvent[]): void {
    const c = run.plan.checks![i]!;
    const failures = run.checkFailures!;
    const health = run.checkHealth!;
    let message: string;
    if (c.result.passed) {
      failures[i] = 0;
      health[i] = "HEALTHY";
      message = "health check passed";
    } else {
      failures[i]!++;
      if (failures[i]! >= c.maxConsecutiveFailures) health[i] = "UNHEALTHY";
      message = `health check failed ${failures[i]} time(s) in a row`;
    }
    const overall: HealthState = health.includes("UNHEALTHY")
      ? "UNHEALTHY"
      : health.every((h) => h === "HEALTHY")
        ? "HEALTHY"
        : "UNKNOWN";
    if (overall !== run.health) {
      run.health = overall;
      run.message = message;
      run.container = run.launch.containers[c.container]!.name;
      out.push(update(run, at, "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", message));
    }
    // The next check starts one interval after this one finished (as Mesos schedules them).
    this.#scheduleCheck(run, at + this.#scale(c.intervalSecs * 1000), c, i);
  }

  #exit(run: Run, at: number, outcome: PodOutcome): PodStatusUpdate {
    if (!outcome.ends) throw new Error("unreachable: exit scheduled for a pod that never ends");
    run.exitCode = outcome.exitCode;
    run.container = run.launch.containers[outcome.container]!.name;
    if (outcome.exitCode === 0) {
      return this.#finish(run, at, "SUCCEEDED", undefined, "command exited with status 0");
    }
    const message = `command exited with status ${outcome.exitCode}`;
    return this.#finish(run, at, "FAILED", "REASON_COMMAND_EXECUTOR_FAILED", message);
  }

  /** Ends a run: frees its resources and ports, files it in its host's history. */
  #finish(
    run: Run,
    at: number,
    state: FleetPodState,
    reason: FleetReason | undefined,
    message: string,
  ): PodStatusUpdate {
    const host = run.host;
    run.state = state;
    run.reason = reason;
    run.message = message;
    run.token++;
    run.killing = false;
    run.checkFailures = undefined;
    run.checkHealth = undefined;
    if (state !== "KILLED") run.signal = undefined;
    host.active.delete(run);
    for (const port of Object.values(run.launch.ports)) host.usedPorts.delete(port);
    if (host.active.size === 0) {
      for (const kind of RESOURCE_KINDS) host.allocated[kind] = 0;
    } else {
      for (const kind of RESOURCE_KINDS) host.allocated[kind] -= run.launch.resources[kind];
    }
    host.history.push(run);
    while (host.history.length > this.#historyPerHost) {
      const old = host.history.shift()!;
      if (this.#runs.get(old.launch.podId) === old) this.#runs.delete(old.launch.podId);
    }
    return update(run, at, reason, message);
  }
}
