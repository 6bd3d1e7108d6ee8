import type { JobRecord } from "../domain/job.js";
import type { JobTemplates, PodRuntime } from "../domain/pod.js";
import type { JobRuntimeChange, PodEventRecord, RuntimeBatch } from "../domain/runtime-batch.js";
import type { WorkflowEventRecord, WorkflowRecord } from "../domain/workflow.js";
import type { LaunchRequest } from "./ports.js";
import { StagedVolumes } from "./volume/volume-cache.js";

/** A job in the engine's cache: its runtime, its templates by config version, its pods. */
export interface JobEntry {
  job: JobRecord;
  readonly templates: Map<number, JobTemplates>;
  /** Pods by instance id. */
  readonly pods: (PodRuntime | undefined)[];
  /** Its latest workflow (the one under way, or the last one that ended). */
  workflow?: WorkflowRecord | undefined;
}

export const jobKey = (id: string) => `j:${id}`;
export const podKey = (jobId: string, instance: number) => `p:${jobId}:${instance}`;

/** The changes one tick stages; they reach the cache only after they are committed. */
export class Tick {
  readonly pods = new Map<string, PodRuntime>();
  readonly jobs = new Map<string, JobRecord>();
  readonly newJobs = new Map<string, JobEntry>();
  readonly events: PodEventRecord[] = [];
  /** Workflows by job id. */
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly workflowEvents: WorkflowEventRecord[] = [];
  readonly deleteJobs = new Set<string>();
  /** Volumes created or changed, by id. */
  readonly volumes = new StagedVolumes();
  readonly launches: LaunchRequest[] = [];
  readonly kills: { podId: string; gracePeriodMs: number }[] = [];
  readonly rechecks: [string, number][] = [];
  readonly done: (() => void)[] = [];
  readonly failed: ((e: unknown) => void)[] = [];
  /** Keys whose work this tick took, re-queued if the commit fails. */
  readonly touched = new Set<string>();
  scheduleAgain = false;
  /** Pod rows created this tick, over all jobs (bounded by `podsCreatedPerTick`). */
  created = 0;

  constructor(readonly now: number) {}

  batch(): RuntimeBatch {
    const jobs: JobRuntimeChange[] = [...this.jobs.values()]
      .filter((j) => !this.deleteJobs.has(j.id))
      .map((j) => ({
        id: j.id,
        state: j.state,
        goalState: j.goalState,
        desiredStateVersion: j.desiredStateVersion,
        workflowVersion: j.workflowVersion,
        revision: j.revision,
        updatedAt: j.updatedAt,
        completedAt: j.completedAt,
      }));
    const pods = [...this.pods.values()].filter((p) => !this.deleteJobs.has(p.jobId));
    const events = this.events.filter((e) => !this.deleteJobs.has(e.jobId));
    const workflows = [...this.workflows.values()].filter((w) => !this.deleteJobs.has(w.jobId));
    const workflowEvents = this.workflowEvents.filter((e) => !this.deleteJobs.has(e.jobId));
    // Deletions first: an instance's new volume may only be written once its old one is DELETED.
    const volumes = [...this.volumes.values()]
      .filter((v) => !this.deleteJobs.has(v.jobId))
      .sort((a, b) => Number(b.state === "DELETED") - Number(a.state === "DELETED"));
    return { pods, events, jobs, workflows, workflowEvents, volumes, deleteJobs: [...this.deleteJobs] };
  }
}
