import type { JobRecord, JobState } from "../../domain/job.js";
import {
  isTerminalPodState,
  type JobTemplates,
  type PodGoal,
  type PodRuntime,
  templateOf,
} from "../../domain/pod.js";

/** The pod goal that follows from a job goal. */
export const POD_GOAL_OF: Partial<Record<JobState, PodGoal>> = {
  RUNNING: "RUNNING",
  KILLED: "KILLED",
  DELETED: "DELETED",
};

export interface JobStep {
  /** The job's new runtime, when its state changes. */
  readonly job?: JobRecord;
  /** Pod rows to create (instances that have none yet). */
  readonly newPods: readonly PodRuntime[];
  /** The job is gone: every pod ended and its goal is DELETED. */
  readonly delete?: boolean;
}

/** A new instance's first run. */
export function firstRun(job: JobRecord, templates: JobTemplates, instance: number, now: number): PodRuntime {
  const t = templateOf(templates, instance);
  return {
    jobId: job.id,
    instance,
    runId: 1,
    state: "INITIALIZED",
    goal: POD_GOAL_OF[job.goalState] ?? "RUNNING",
    configVersion: job.configVersion,
    desiredConfigVersion: job.configVersion,
    host: null,
    agentId: null,
    ports: {},
    message: "",
    reason: "",
    failureCount: 0,
    healthy: t.containers.some((c) => c.liveness) ? "UNKNOWN" : "DISABLED",
    prevRunId: null,
    exitCode: null,
    terminationReason: null,
    volumeId: null,
    startedAt: null,
    completedAt: null,
    updatedAt: now,
    revision: 1,
  };
}

/** Which instances a job creates this step, when a workflow decides it. */
export interface CreationPlan {
  /** Instances to create now. */
  readonly create: readonly number[];
  /** Whether instances not created yet are still to come (the creation has not ended). */
  readonly more: boolean;
}

/**
 * A job's next step: create its missing pods — those `plan` names (its create workflow's
 * choice), or without a workflow every missing instance, at most `maxNew` — and derive its
 * state from its pods: INITIALIZED before any pod exists, RUNNING once one runs, PENDING in
 * between; KILLING until every pod has ended, then KILLED (or gone, when the goal is DELETED).
 */
export function jobStep(
  job: JobRecord,
  templates: JobTemplates,
  pods: readonly (PodRuntime | undefined)[],
  now: number,
  maxNew: number,
  plan?: CreationPlan,
): JobStep {
  const existing = pods.filter((p): p is PodRuntime => p !== undefined);
  let missing: readonly number[];
  if (plan) missing = plan.create;
  else {
    const all: number[] = [];
    for (let i = 0; i < job.instanceCount && all.length < maxNew; i++) if (!pods[i]) all.push(i);
    missing = all;
  }
  const newPods = missing.map((i) => firstRun(job, templates, i, now));
  const all = [...existing, ...newPods];
  const more = plan ? plan.more : all.length < job.instanceCount;

  const ended = all.every((p) => isTerminalPodState(p.state));
  let state: JobState;
  if (job.goalState === "RUNNING") {
    if (all.some((p) => p.state === "RUNNING")) state = "RUNNING";
    else if (all.length === 0) state = "INITIALIZED";
    // Every pod stopped on its own (StopPod) and none is meant to run: the job has stopped.
    else if (ended && !more && all.every((p) => p.goal !== "RUNNING")) state = "KILLED";
    else state = "PENDING";
  } else {
    if (ended && job.goalState === "DELETED") return { newPods: [], delete: true };
    state = ended ? "KILLED" : "KILLING";
  }
  if (state === job.state) return { newPods };
  const terminal = state === "KILLED";
  return {
    newPods,
    job: {
      ...job,
      state,
      revision: job.revision + 1,
      updatedAt: now,
      completedAt: terminal ? now : null,
    },
  };
}
