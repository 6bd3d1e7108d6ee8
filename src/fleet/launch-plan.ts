import { RESOURCE_KINDS } from "../domain/resources.js";
import {
  type CheckResult,
  checkResultOf,
  type Outcome,
  outcomeOf,
  type PodOutcome,
  podOutcomeOf,
} from "./command-outcome.js";
import { CommandSyntaxError, parseCommand } from "./parse-command.js";
import type { ContainerLaunch, LivenessCheck, PodLaunch } from "./ports.js";

/** Mesos' defaults for health-check fields left at zero. */
export const HEALTH_CHECK_DEFAULTS = {
  initialIntervalSecs: 15,
  intervalSecs: 10,
  timeoutSecs: 20,
  maxConsecutiveFailures: 3,
} as const satisfies Omit<LivenessCheck, "command">;

/** A liveness check made ready to run: defaults applied, its command's result known in advance. */
export interface CheckPlan {
  readonly container: number;
  readonly initialIntervalSecs: number;
  readonly intervalSecs: number;
  readonly maxConsecutiveFailures: number;
  /** What every run of the check yields (commands are deterministic). */
  readonly result: CheckResult;
  /** When the checked container's own command ends, in seconds after RUNNING (Infinity: never). */
  readonly containerSeconds: number;
}

export interface LaunchPlan {
  readonly outcome: PodOutcome;
  /** Undefined when no container has a liveness check. */
  readonly checks: readonly CheckPlan[] | undefined;
}

/**
 * Outcomes of command lines, memoised: the pods of a job share their commands, so a million
 * pods parse a handful of strings. Bounded; it starts over when full.
 */
export class CommandCache {
  readonly #entries = new Map<string, Outcome | CommandSyntaxError>();
  constructor(readonly capacity = 4096) {}

  /** The command's outcome; throws CommandSyntaxError (memoised too) when it does not parse. */
  outcome(command: string): Outcome {
    let entry = this.#entries.get(command);
    if (entry === undefined) {
      try {
        entry = outcomeOf(parseCommand(command));
      } catch (e) {
        if (!(e instanceof CommandSyntaxError)) throw e;
        entry = e;
      }
      if (this.#entries.size >= this.capacity) this.#entries.clear();
      this.#entries.set(command, entry);
    }
    if (entry instanceof CommandSyntaxError) throw entry;
    return entry;
  }
}

const isCount = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** A launch's resources and ports: a message naming the bad field, or undefined when fine. */
export function checkLaunchFields(launch: PodLaunch): string | undefined {
  for (const kind of RESOURCE_KINDS) {
    if (!isCount(launch.resources[kind])) return `resources.${kind}: must be a finite number >= 0`;
  }
  for (const [name, port] of Object.entries(launch.ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return `ports.${name}: ${port} is not a port number (1-65535)`;
    }
  }
  return undefined;
}

/**
 * Checks a pod's containers are well-formed and works out what they will do. Returns the plan,
 * or a message naming the bad field (`containers[0].command: …`).
 */
export function planContainers(
  containers: readonly ContainerLaunch[],
  cache: CommandCache,
): LaunchPlan | string {
  if (containers.length === 0) return "containers: a pod needs at least one container";
  const names = new Set<string>();
  const outcomes: Outcome[] = [];
  let checks: CheckPlan[] | undefined;
  for (const [i, c] of containers.entries()) {
    if (c.name === "") return `containers[${i}].name: must not be empty`;
    if (names.has(c.name)) return `containers[${i}].name: duplicate container name ${JSON.stringify(c.name)}`;
    names.add(c.name);
    let outcome: Outcome;
    try {
      outcome = cache.outcome(c.command);
    } catch (e) {
      if (!(e instanceof CommandSyntaxError)) throw e;
      return `containers[${i}].command: ${e.message}`;
    }
    outcomes.push(outcome);
    const check = c.livenessCheck;
    if (!check) continue;
    const field = `containers[${i}].livenessCheck`;
    for (const k of [
      "initialIntervalSecs",
      "intervalSecs",
      "timeoutSecs",
      "maxConsecutiveFailures",
    ] as const) {
      if (!isCount(check[k])) return `${field}.${k}: must be a finite number >= 0`;
    }
    let checkOutcome: Outcome;
    try {
      checkOutcome = cache.outcome(check.command);
    } catch (e) {
      if (!(e instanceof CommandSyntaxError)) throw e;
      return `${field}.command: ${e.message}`;
    }
    const orDefault = (k: keyof typeof HEALTH_CHECK_DEFAULTS): number => check[k] || HEALTH_CHECK_DEFAULTS[k];
    checks ??= [];
    checks.push({
      container: i,
      initialIntervalSecs: orDefault("initialIntervalSecs"),
      intervalSecs: orDefault("intervalSecs"),
      maxConsecutiveFailures: Math.ceil(orDefault("maxConsecutiveFailures")),
      result: checkResultOf(checkOutcome, orDefault("timeoutSecs")),
      containerSeconds: outcome.ends ? outcome.seconds : Number.POSITIVE_INFINITY,
    });
  }
  return { outcome: podOutcomeOf(outcomes), checks };
}

/**
 * Plans pods' containers, memoised by the identity of the containers array: the pods of one job
 * config share it, so their plan (outcome, checks) is one shared object.
 */
export class LaunchPlanner {
  readonly #plans = new WeakMap<readonly ContainerLaunch[], LaunchPlan | string>();
  readonly #commands = new CommandCache();

  plan(launch: PodLaunch): LaunchPlan | string {
    const bad = checkLaunchFields(launch);
    if (bad !== undefined) return bad;
    let plan = this.#plans.get(launch.containers);
    if (plan === undefined) {
      plan = planContainers(launch.containers, this.#commands);
      this.#plans.set(launch.containers, plan);
    }
    return plan;
  }
}
