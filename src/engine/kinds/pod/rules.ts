import type { PodGoal, PodRuntime, PodState } from "../../../domain/pod.js";
import { checkKill } from "./actions/check-kill.js";
import { checkLaunch } from "./actions/check-launch.js";
import { enqueue } from "./actions/enqueue.js";
import { kill } from "./actions/kill.js";
import { launch } from "./actions/launch.js";
import { release } from "./actions/release.js";
import { restart } from "./actions/restart.js";
import { retarget } from "./actions/retarget.js";
import { update } from "./actions/update.js";
import { NOTHING, type PodContext, type PodStep } from "./pod-step.js";

export const POD_ACTIONS = {
  enqueue,
  launch,
  checkLaunch,
  kill,
  checkKill,
  release,
  restart,
  update,
  retarget,
  /** Waiting for something else (the scheduler, the agent) to move the pod. */
  wait: (_: PodContext): PodStep => NOTHING,
  /** Nothing left to do: the pod is where its goal wants it. */
  done: (_: PodContext): PodStep => NOTHING,
  /** A pair that should never occur; the engine logs it and leaves the pod alone. */
  invalid: (_: PodContext): PodStep => NOTHING,
} as const;
export type PodActionName = keyof typeof POD_ACTIONS;

/** Whether the run is of the configuration version the pod should run. */
export type ConfigFreshness = "current" | "outdated";

const STOPPING = {
  INITIALIZED: "release",
  PENDING: "release",
  READY: "release",
  PLACING: "release",
  PLACED: "release",
  LAUNCHING: "kill",
  LAUNCHED: "kill",
  STARTING: "kill",
  RUNNING: "kill",
  KILLING: "checkKill",
  PREEMPTING: "checkKill",
  SUCCEEDED: "done",
  FAILED: "done",
  LOST: "done",
  KILLED: "done",
  DELETED: "done",
} as const satisfies Record<PodState, PodActionName>;

const RUN = {
  INITIALIZED: "enqueue",
  PENDING: "wait",
  READY: "wait",
  PLACING: "wait",
  PLACED: "launch",
  LAUNCHING: "checkLaunch",
  LAUNCHED: "wait",
  STARTING: "wait",
  RUNNING: "done",
  KILLING: "checkKill",
  PREEMPTING: "checkKill",
  SUCCEEDED: "restart",
  FAILED: "restart",
  LOST: "restart",
  KILLED: "restart",
  DELETED: "invalid",
} as const satisfies Record<PodState, PodActionName>;

/**
 * What to do for each configuration freshness, goal and actual state: data, not if-chains. A run
 * of an outdated configuration that should run is replaced: killed when it is on an agent, given
 * the new version when it is not there yet; an ended one restarts on the new version anyway.
 */
export const POD_ACTION_TABLE = {
  current: { RUNNING: RUN, KILLED: STOPPING, DELETED: STOPPING },
  outdated: {
    RUNNING: {
      ...RUN,
      INITIALIZED: "retarget",
      PENDING: "retarget",
      PLACED: "retarget",
      LAUNCHING: "update",
      LAUNCHED: "update",
      STARTING: "update",
      RUNNING: "update",
    },
    KILLED: STOPPING,
    DELETED: STOPPING,
  },
} as const satisfies Record<ConfigFreshness, Record<PodGoal, Record<PodState, PodActionName>>>;

export const freshnessOf = (pod: PodRuntime): ConfigFreshness =>
  pod.configVersion === pod.desiredConfigVersion ? "current" : "outdated";

export const podActionFor = (pod: PodRuntime): PodActionName =>
  POD_ACTION_TABLE[freshnessOf(pod)][pod.goal][pod.state];
