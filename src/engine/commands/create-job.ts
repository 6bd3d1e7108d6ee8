import { formatVersion, INITIAL_VERSION } from "../../domain/entity-version.js";
import type { JobConfigRecord, JobRecord, SecretRecord } from "../../domain/job.js";
import { checkJobPool } from "../../domain/job-pool.js";
import type { Label } from "../../domain/labels.js";
import type { JobTemplates } from "../../domain/pod.js";
import { createWorkflow, type WorkflowSettings, workflowEvent } from "../../domain/workflow.js";
import { AppError } from "../../lib/app-error.js";
import { jobKey, workflowKey } from "../loop/entity-key.js";
import type { Command } from "./command.js";

/** A new job, as CreateJob hands it to the engine (validated, its templates derived). */
export interface NewJobInput {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly owningTeam: string;
  readonly description: string;
  readonly labels: readonly Label[];
  readonly respoolId: string;
  readonly instanceCount: number;
  readonly priority: number;
  readonly maxUnavailable: number;
  /** The JobSpec as given (proto3 JSON), stored as configuration version 1. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly templates: JobTemplates;
  readonly secrets: readonly Omit<SecretRecord, "jobId">[];
  /** Its create workflow: an id, the CreateSpec settings, the client's opaque data. */
  readonly workflow: {
    readonly id: string;
    readonly settings: WorkflowSettings;
    readonly opaqueData: string;
  };
}

/**
 * CreateJob: the job row at 1-1-1, configuration version 1, its secrets and its create workflow
 * (with its first event), all in one commit. ALREADY_EXISTS for a taken id; the pool must be a
 * leaf other than the root. The job's pods come in the ticks after, from its workflow.
 */
export const createJob =
  (input: NewJobInput): Command<JobRecord> =>
  (tick) => {
    if (tick.job(input.id)) throw AppError.alreadyExists(`job ${input.id} already exists`);
    checkJobPool(tick.allPools(), input.respoolId);
    const now = tick.now;
    const job: JobRecord = {
      id: input.id,
      name: input.name,
      owner: input.owner,
      owningTeam: input.owningTeam,
      description: input.description,
      labels: input.labels,
      respoolId: input.respoolId,
      instanceCount: input.instanceCount,
      priority: input.priority,
      maxUnavailable: input.maxUnavailable,
      state: "INITIALIZED",
      goalState: "RUNNING",
      configVersion: INITIAL_VERSION.config,
      desiredStateVersion: INITIAL_VERSION.desiredState,
      workflowVersion: INITIAL_VERSION.workflow,
      revision: 1,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    const config: JobConfigRecord = {
      jobId: job.id,
      version: INITIAL_VERSION.config,
      spec: input.spec,
      templates: input.templates,
      createdAt: now,
    };
    tick.stageNewJob({ job, config, secrets: input.secrets.map((s) => ({ ...s, jobId: job.id })) });
    const workflow = createWorkflow({
      id: input.workflow.id,
      jobId: job.id,
      instanceCount: job.instanceCount,
      settings: input.workflow.settings,
      opaqueData: input.workflow.opaqueData,
      version: formatVersion(INITIAL_VERSION),
      now,
    });
    tick.stageWorkflow(workflow, workflowEvent(workflow, now));
    tick.recheck(jobKey(job.id), now);
    tick.recheck(workflowKey(job.id), now);
    return job;
  };
