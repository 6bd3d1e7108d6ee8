import type { JobRecord } from "../../../domain/job.js";
import { type JobTemplates, type PodGoal, type PodRuntime, templateOf } from "../../../domain/pod.js";

/** The pod goal that follows from a job goal. */
export const POD_GOAL_OF = {
  RUNNING: "RUNNING",
  KILLED: "KILLED",
  DELETED: "DELETED",
} as const satisfies Record<PodGoal, PodGoal>;

/** A new instance's first run, on the job's current configuration. */
export function firstRun(job: JobRecord, templates: JobTemplates, instance: number, now: number): PodRuntime {
  const t = templateOf(templates, instance);
  return {
    jobId: job.id,
    instance,
    runId: 1,
    state: "INITIALIZED",
    goal: (POD_GOAL_OF as Partial<Record<string, PodGoal>>)[job.goalState] ?? "RUNNING",
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
