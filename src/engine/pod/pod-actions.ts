import type { PodState } from "../../domain/job.js";
import type { PodGoal } from "../../domain/pod.js";
import { checkKill } from "./actions/check-kill.js";
import { checkLaunch } from "./actions/check-launch.js";
import { enqueue } from "./actions/enqueue.js";
import { kill } from "./actions/kill.js";
import { launch } from "./actions/launch.js";
import { release } from "./actions/release.js";
import { restart } from "./actions/restart.js";
import { NOTHING, type PodContext, type PodStep } from "./pod-step.js";

export const POD_ACTIONS = {
  enqueue,
  launch,
  checkLaunch,
  kill,
  checkKill,
  release,
  restart,
  /** Waiting for something else (the scheduler, the agent) to move the pod. */
  wait: (_: PodContext): PodStep => NOTHING,
  /** Nothing left to do: the pod is where its goal wants it. */
  done: (_: PodContext): PodStep => NOTHING,
  /** A pair that should never occur; the engine logs it and leaves the pod alone. */
  invalid: (_: PodContext): PodStep => NOTHING,
} as const;
export type PodActionName = keyof typeof POD_ACTIONS;

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

/** What to do for each goal and actual state: data, not if-chains. */
export const POD_ACTION_TABLE = {
  RUNNING: {
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
  },
  KILLED: STOPPING,
  DELETED: STOPPING,
} as const satisfies Record<PodGoal, Record<PodState, PodActionName>>;

export const podActionFor = (goal: PodGoal, state: PodState): PodActionName => POD_ACTION_TABLE[goal][state];
