import { randomUUID } from "node:crypto";
import { parseVersion } from "../../domain/entity-version.js";
import type { JobRecord } from "../../domain/job.js";
import type { Engine } from "../../engine/engine.js";
import type { JobServiceImplementation } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { AppError } from "../../lib/app-error.js";
import type { Clock } from "../../lib/clock.js";
import type { JobRepository } from "../../store/job-repository.js";
import type { PodRepository } from "../../store/pod-repository.js";
import type { ResourcePoolRepository } from "../../store/resource-pool-repository.js";
import { isUuid, required, requiredMessage } from "../fields.js";
import {
  jobStatus,
  jobSummary,
  jobVersion,
  NO_PODS,
  type PodCounts,
  podCounts,
  specToStore,
  storedSpec,
} from "./convert.js";
import { jobQueryFromSpec } from "./job-query.js";
import { jobTemplates } from "./pod-template.js";
import { validateJobSpec, validateSecrets } from "./validate-job-spec.js";

export interface JobServiceDeps {
  readonly jobs: JobRepository;
  readonly pods: PodRepository;
  readonly engine: Engine;
  readonly pools: ResourcePoolRepository;
  readonly clock: Clock;
  readonly maxInstancesPerJob: number;
}

/** Jobs per ListJobs message. */
export const LIST_JOBS_BATCH = 500;

/** peloton.api.v1alpha.job.stateless.svc.JobService: the methods built so far. */
export function jobService(deps: JobServiceDeps): Partial<JobServiceImplementation> {
  const { jobs, pools, clock, engine } = deps;

  /** Moves a job to a goal through the engine; answers with its new version once stored. */
  const setGoal = async (
    req: { jobId?: { value: string }; version?: { value: string } },
    goal: "RUNNING" | "KILLED" | "DELETED",
    force = false,
  ) => {
    const job = await mustGet(req.jobId?.value);
    const version = req.version?.value ? parseVersion(req.version.value, "version.value") : undefined;
    const next = await engine.setJobGoal(job.id, goal, version, force);
    return { version: { value: jobVersion(next) } };
  };

  const mustGet = async (id: string | undefined): Promise<JobRecord> => {
    const jobId = required(id, "job_id");
    const job = await jobs.get(jobId);
    if (!job) throw AppError.notFound(`job ${jobId} does not exist`);
    return job;
  };

  const withCounts = async (records: readonly JobRecord[]): Promise<[JobRecord, PodCounts][]> => {
    const stats = await jobs.podStats(records.map((r) => r.id));
    return records.map((r) => [r, stats.get(r.id) ?? NO_PODS]);
  };

  return {
    async createJob(req) {
      const spec = requiredMessage(req.spec, "spec");
      const id = req.jobId?.value || randomUUID();
      if (!isUuid(id)) throw AppError.invalid("job_id.value", `"${id}" is not a UUID`);
      validateJobSpec(spec, deps.maxInstancesPerJob);
      validateSecrets(req.secrets);
      const templates = jobTemplates(spec);
      const job = await jobs.create({
        id,
        name: spec.name,
        owner: spec.owner,
        owningTeam: spec.owningTeam,
        description: spec.description,
        labels: spec.labels,
        respoolId: spec.respoolId!.value,
        instanceCount: spec.instanceCount,
        spec: specToStore(spec),
        templates,
        priority: spec.sla?.priority ?? 0,
        maxUnavailable: spec.sla?.maximumUnavailableInstances ?? 0,
        createSpec: {
          batchSize: req.createSpec?.batchSize || undefined,
          maxInstanceRetries: req.createSpec?.maxInstanceRetries || undefined,
          maxTolerableInstanceFailures: req.createSpec?.maxTolerableInstanceFailures || undefined,
          startPaused: req.createSpec?.startPaused || undefined,
        },
        secrets: req.secrets.map((s) => ({
          id: s.secretId?.value || randomUUID(),
          path: s.path,
          value: new Uint8Array(s.value!.data),
        })),
        now: clock.now(),
      });
      engine.addJob(job, new Map([[1, templates]]));
      return { jobId: { value: job.id }, version: { value: jobVersion(job) } };
    },

    async getJob(req) {
      const job = await mustGet(req.jobId?.value);
      const [[, counts]] = (await withCounts([job])) as [[JobRecord, PodCounts]];
      if (req.summaryOnly) return { summary: jobSummary(job, counts), secrets: [] };
      const configVersion = req.version?.value
        ? parseVersion(req.version.value, "version.value").config
        : job.configVersion;
      const json = await jobs.getConfig(job.id, configVersion);
      if (!json) throw AppError.notFound(`job ${job.id} has no configuration version ${configVersion}`);
      const secrets = await jobs.secrets(job.id);
      return {
        jobInfo: {
          jobId: { value: job.id },
          spec: storedSpec(json, job, configVersion),
          status: jobStatus(job, counts),
        },
        secrets: secrets.map((s) => ({ secretId: { value: s.id }, path: s.path, value: undefined })),
      };
    },

    startJob: (req) => setGoal(req, "RUNNING"),
    stopJob: (req) => setGoal(req, "KILLED"),
    async deleteJob(req) {
      await setGoal(req, "DELETED", req.force);
      return {};
    },

    async refreshJob(req) {
      const job = await mustGet(req.jobId?.value);
      await engine.refreshJob(job.id);
      return {};
    },

    async getJobCache(req) {
      const stored = await mustGet(req.jobId?.value);
      const job = engine.job(stored.id) ?? stored;
      const json = await jobs.getConfig(job.id, job.configVersion);
      const counts = podCounts(engine.pods(job.id));
      return {
        spec: json ? storedSpec(json, job, job.configVersion) : undefined,
        status: jobStatus(job, counts),
      };
    },

    async getJobIDFromJobName(req) {
      const name = required(req.jobName, "job_name");
      const ids = await jobs.idsByName(name);
      if (ids.length === 0) throw AppError.notFound(`no job is named "${name}"`);
      return { jobId: ids.map((value) => ({ value })) };
    },

    async *listJobs() {
      for await (const batch of jobs.listAll(LIST_JOBS_BATCH)) {
        yield { jobs: (await withCounts(batch)).map(([job, counts]) => jobSummary(job, counts)) };
      }
    },

    async queryJobs(req) {
      const all = req.spec?.respool?.value ? await pools.list() : [];
      const query = jobQueryFromSpec(req.spec, (path) => {
        if (!all.some((p) => p.path === path)) return undefined;
        return all
          .filter((p) => p.path === path || p.path.startsWith(path === "/" ? "/" : `${path}/`))
          .map((p) => p.id);
      });
      const result = await jobs.query(query);
      return {
        records: (await withCounts(result.records)).map(([job, counts]) => jobSummary(job, counts)),
        pagination: { offset: query.offset, limit: query.limit, total: result.total },
        spec: req.spec,
      };
    },
  };
}
