import { randomUUID } from "node:crypto";
import { parseVersion } from "../../domain/entity-version.js";
import type { JobRecord } from "../../domain/job.js";
import { parsePodName, podName } from "../../domain/pod.js";
import type { JobSummary } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { JobServiceImplementation } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { AppError } from "../../lib/app-error.js";
import { enumValue, isUuid, required, requiredMessage } from "../fields.js";
import { POD_STATE_OF } from "../pod/convert.js";
import { PodViews } from "../pod/pod-views.js";
import type {
  JobCommands,
  JobQueries,
  PodQueries,
  PoolQueries,
  RuntimeView,
  WorkflowCommand,
  WorkflowCommands,
  WorkflowQueries,
} from "../ports.js";
import { jobStatus, jobSummary, jobVersion, NO_PODS, specToStore, storedSpec } from "./convert.js";
import { DEFAULT_PAGE_SIZE, jobQueryFromSpec, MAX_PAGE_SIZE } from "./job-query.js";
import { jobTemplates } from "./pod-template.js";
import { validateJobSpec, validateSecrets } from "./validate-job-spec.js";
import { workflowInfo } from "./workflow-convert.js";

export interface JobServiceDeps {
  readonly jobs: JobQueries;
  readonly pods: PodQueries;
  readonly engine: JobCommands &
    WorkflowCommands &
    Pick<RuntimeView, "job" | "pods" | "workflow" | "podCounts">;
  readonly pools: PoolQueries;
  readonly workflows: WorkflowQueries;
  readonly maxInstancesPerJob: number;
}

/** Jobs per ListJobs message. */
export const LIST_JOBS_BATCH = 500;

/** Pods per ListPods message. */
export const LIST_PODS_BATCH = 1000;

/** peloton.api.v1alpha.job.stateless.svc.JobService: the methods built so far. */
export function jobService(deps: JobServiceDeps): Partial<JobServiceImplementation> {
  const { jobs, pools, engine } = deps;

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

  /** Jobs with their pod counts and latest workflows, as summaries. */
  const summaries = async (records: readonly JobRecord[]): Promise<JobSummary[]> => {
    const ids = records.map((r) => r.id);
    const [stats, flows] = await Promise.all([jobs.podStats(ids), deps.workflows.latestByJob(ids)]);
    return records.map((r) => jobSummary(r, stats.get(r.id) ?? NO_PODS, flows.get(r.id)));
  };

  /** Pauses, resumes or aborts a job's workflow through the engine. */
  const workflowCommand = async (
    req: { jobId?: { value: string }; version?: { value: string }; opaqueData?: { data: string } },
    command: WorkflowCommand,
  ) => {
    const job = await mustGet(req.jobId?.value);
    const version = req.version?.value ? parseVersion(req.version.value, "version.value") : undefined;
    const next = await engine.workflowCommand(job.id, command, version, req.opaqueData?.data);
    return { version: { value: jobVersion(next) } };
  };

  return {
    async createJob(req) {
      const spec = requiredMessage(req.spec, "spec");
      const id = req.jobId?.value || randomUUID();
      if (!isUuid(id)) throw AppError.invalid("job_id.value", `"${id}" is not a UUID`);
      validateJobSpec(spec, deps.maxInstancesPerJob);
      validateSecrets(req.secrets);
      const create = req.createSpec;
      const job = await engine.createJob({
        id,
        name: spec.name,
        owner: spec.owner,
        owningTeam: spec.owningTeam,
        description: spec.description,
        labels: spec.labels.map((l) => ({ key: l.key, value: l.value })),
        respoolId: spec.respoolId!.value,
        instanceCount: spec.instanceCount,
        spec: specToStore(spec),
        templates: jobTemplates(spec),
        priority: spec.sla?.priority ?? 0,
        maxUnavailable: spec.sla?.maximumUnavailableInstances ?? 0,
        secrets: req.secrets.map((s) => ({
          id: s.secretId?.value || randomUUID(),
          path: s.path,
          value: new Uint8Array(s.value!.data),
        })),
        workflow: {
          id: randomUUID(),
          settings: {
            batchSize: create?.batchSize ?? 0,
            maxInstanceRetries: create?.maxInstanceRetries ?? 0,
            maxTolerableInstanceFailures: create?.maxTolerableInstanceFailures ?? 0,
            startPaused: create?.startPaused ?? false,
          },
          opaqueData: req.opaqueData?.data ?? "",
        },
      });
      return { jobId: { value: job.id }, version: { value: jobVersion(job) } };
    },

    async getJob(req) {
      const job = await mustGet(req.jobId?.value);
      const [counts, workflow] = await Promise.all([
        jobs.podStats([job.id]).then((m) => m.get(job.id) ?? NO_PODS),
        deps.workflows.latest(job.id),
      ]);
      if (req.summaryOnly) return { summary: jobSummary(job, counts, workflow), secrets: [] };
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
          status: jobStatus(job, counts, workflow),
        },
        secrets: secrets.map((s) => ({ secretId: { value: s.id }, path: s.path, value: undefined })),
        workflowInfo: workflow && workflowInfo(workflow, await deps.workflows.events(workflow)),
      };
    },

    pauseJobWorkflow: (req) => workflowCommand(req, "pause"),
    resumeJobWorkflow: (req) => workflowCommand(req, "resume"),
    abortJobWorkflow: (req) => workflowCommand(req, "abort"),

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
      const counts = engine.podCounts(job.id) ?? NO_PODS;
      return {
        spec: json ? storedSpec(json, job, job.configVersion) : undefined,
        status: jobStatus(job, counts, engine.workflow(job.id)),
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
        yield { jobs: await summaries(batch) };
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
        records: await summaries(result.records),
        pagination: { offset: query.offset, limit: query.limit, total: result.total },
        spec: req.spec,
      };
    },

    async *listPods(req) {
      const job = await mustGet(req.jobId?.value);
      const from = req.range?.from ?? 0;
      const to = req.range?.to ?? 0;
      if (to > 0 && from > to) throw AppError.invalid("range", `from (${from}) must not be after to (${to})`);
      const views = new PodViews(jobs, job);
      // Windows of instance ids over the job's instances, so that no message holds more than a
      // batch and no query every pod of a large job; one last query takes any pods past the
      // instance count that the range covers.
      const stop = to > 0 ? to : undefined;
      const dense = Math.min(stop ?? Number.POSITIVE_INFINITY, Math.max(from, job.instanceCount));
      const windows: [number, number | undefined][] = [];
      for (let at = from; at < dense; at += LIST_PODS_BATCH)
        windows.push([at, Math.min(at + LIST_PODS_BATCH, dense)]);
      if (stop === undefined || dense < stop) windows.push([dense, stop]);
      for (const [lo, hi] of windows) {
        const batch = await deps.pods.listByJob(job.id, lo, hi);
        for (let i = 0; i < batch.length; i += LIST_PODS_BATCH) {
          const page = batch.slice(i, i + LIST_PODS_BATCH);
          yield {
            pods: await Promise.all(
              page.map(async (p) => ({
                podName: { value: podName(p.jobId, p.instance) },
                status: await views.status(p),
              })),
            ),
          };
        }
      }
    },

    async queryPods(req) {
      const job = await mustGet(req.jobId?.value);
      const spec = req.spec;
      const states = (spec?.podStates ?? []).map((v, i) =>
        enumValue(v, POD_STATE_OF, `spec.pod_states[${i}]`),
      );
      const instances = spec?.names.length
        ? spec.names.map((n, i) => {
            const field = `spec.names[${i}].value`;
            const ref = parsePodName(n.value);
            if (!ref) throw AppError.invalid(field, `"${n.value}" is not a pod name <job id>-<instance id>`);
            if (ref.jobId !== job.id)
              throw AppError.invalid(field, `"${n.value}" is not a pod of job ${job.id}`);
            return ref.instance;
          })
        : undefined;
      const hosts = (spec?.hosts ?? []).map((h, i) => {
        if (h.trim() === "") throw AppError.invalid(`spec.hosts[${i}]`, "must not be empty");
        return h;
      });
      const page = req.pagination ?? spec?.pagination;
      const offset = page?.offset ?? 0;
      const limit = Math.min(page?.limit || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const result = await deps.pods.query({ jobId: job.id, states, instances, hosts, offset, limit });
      const views = new PodViews(jobs, job);
      return {
        pods: await Promise.all(result.pods.map((p) => views.info(p, !req.summaryOnly))),
        pagination: { offset, limit, total: result.total },
      };
    },
  };
}
