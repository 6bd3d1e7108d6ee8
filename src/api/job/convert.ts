import { versionText } from "../../domain/entity-version.js";
import { JOB_STATES, type JobRecord, type JobState } from "../../domain/job.js";
import type { PodRuntime } from "../../domain/pod.js";
import type { WorkflowRecord } from "../../domain/workflow.js";
import {
  JobSpec,
  type JobStatus,
  type JobSummary,
  JobState as ProtoJobState,
} from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { rfc3339 } from "../fields.js";
import { workflowStatus } from "./workflow-convert.js";

export const PROTO_JOB_STATE: Record<JobState, ProtoJobState> = Object.fromEntries(
  JOB_STATES.map((s) => [s, ProtoJobState[`JOB_STATE_${s}`]]),
) as Record<JobState, ProtoJobState>;

export const JOB_STATE_OF = new Map<number, JobState>(JOB_STATES.map((s) => [PROTO_JOB_STATE[s], s]));

export interface PodCounts {
  readonly byState: Readonly<Record<string, number>>;
  readonly byVersion: Readonly<Record<string, number>>;
}

export const NO_PODS: PodCounts = { byState: {}, byVersion: {} };

/** Pod counts of a job from its pods (the engine's cache). */
export function podCounts(pods: readonly PodRuntime[]): PodCounts {
  const byState: Record<string, number> = {};
  const byVersion: Record<string, number> = {};
  for (const p of pods) {
    byState[p.state] = (byState[p.state] ?? 0) + 1;
    byVersion[String(p.configVersion)] = (byVersion[String(p.configVersion)] ?? 0) + 1;
  }
  return { byState, byVersion };
}

export const jobVersion = (job: JobRecord): string => versionText(job);

export function jobStatus(job: JobRecord, pods: PodCounts, workflow?: WorkflowRecord): JobStatus {
  return {
    revision: {
      version: String(job.revision),
      createdAt: String(job.createdAt),
      updatedAt: String(job.updatedAt),
      updatedBy: "",
    },
    state: PROTO_JOB_STATE[job.state],
    creationTime: rfc3339(job.createdAt),
    // Keys are pod.PodState names, e.g. POD_STATE_RUNNING.
    podStats: Object.fromEntries(Object.entries(pods.byState).map(([s, n]) => [`POD_STATE_${s}`, n])),
    desiredState: PROTO_JOB_STATE[job.goalState],
    version: { value: jobVersion(job) },
    workflowStatus: workflow && workflowStatus(workflow),
    // Keys are entity versions a client can pass to GetJob to read that configuration.
    podConfigurationVersionStats: Object.fromEntries(
      Object.entries(pods.byVersion).map(([v, n]) => [versionText(job, Number(v)), n]),
    ),
  };
}

export function jobSummary(job: JobRecord, pods: PodCounts, workflow?: WorkflowRecord): JobSummary {
  return {
    jobId: { value: job.id },
    name: job.name,
    owner: job.owner,
    owningTeam: job.owningTeam,
    labels: job.labels.map((l) => ({ key: l.key, value: l.value })),
    instanceCount: job.instanceCount,
    respoolId: { value: job.respoolId },
    status: jobStatus(job, pods, workflow),
  };
}

/** The stored spec of a config version as a JobSpec, with its revision filled in. */
export function storedSpec(json: Record<string, unknown>, job: JobRecord, configVersion: number): JobSpec {
  const spec = JobSpec.fromJSON(json);
  spec.revision = {
    version: String(configVersion),
    createdAt: String(job.createdAt),
    updatedAt: String(job.updatedAt),
    updatedBy: "",
  };
  return spec;
}

/** The JSON a spec is stored as (no revision: the server owns it). */
export const specToStore = (spec: JobSpec): Record<string, unknown> =>
  JobSpec.toJSON({ ...spec, revision: undefined }) as Record<string, unknown>;
