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

/**
 * A job's next step: create its missing pods (at most `maxNew` this time, and no more than its
 * create batch allows), and derive its state from its pods: INITIALIZED before any pod exists,
 * RUNNING once one runs, PENDING in between;
 * KILLING until every pod has ended, then KILLED (or gone, when the goal is DELETED).
 */
export function jobStep(
  job: JobRecord,
  templates: JobTemplates,
  pods: readonly (PodRuntime | undefined)[],
  now: number,
  maxNew: number,
): JobStep {
  const existing = pods.filter((p): p is PodRuntime => p !== undefined);
  // CreateSpec.batch_size: at most that many instances are being brought up at a time; the
  // next ones are created as earlier ones first reach RUNNING (or give up).
  const batch = job.createSpec.batchSize ?? 0;
  const inFlight = existing.filter(
    (p) => p.startedAt === null && p.runId === 1 && !isTerminalPodState(p.state),
  ).length;
  const room = batch > 0 ? Math.max(0, batch - inFlight) : Number.POSITIVE_INFINITY;
  const missing: number[] = [];
  for (let i = 0; i < job.instanceCount && missing.length < Math.min(maxNew, room); i++)
    if (!pods[i]) missing.push(i);
  const newPods = missing.map((i) => firstRun(job, templates, i, now));
  const all = [...existing, ...newPods];

  const ended = all.every((p) => isTerminalPodState(p.state));
  let state: JobState;
  if (job.goalState === "RUNNING") {
    if (all.some((p) => p.state === "RUNNING")) state = "RUNNING";
    else if (all.length === 0) state = "INITIALIZED";
    // Every pod stopped on its own (StopPod) and none is meant to run: the job has stopped.
    else if (ended && all.length >= job.instanceCount && all.every((p) => p.goal !== "RUNNING"))
      state = "KILLED";
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
