import type { Kysely } from "kysely";
import type { JobRecord } from "../domain/job.js";
import type { JobTemplates, PodRuntime } from "../domain/pod.js";
import type { RuntimeBatch } from "../domain/runtime-batch.js";
import type { VolumeRecord } from "../domain/volume.js";
import type { WorkflowRecord } from "../domain/workflow.js";
import { JobRepository } from "./job-repository.js";
import { PodRepository } from "./pod-repository.js";
import type { Database } from "./schema.js";
import { VolumeRepository } from "./volume-repository.js";
import { WorkflowRepository } from "./workflow-repository.js";

/** What the engine reads at start and writes every tick. */
export class RuntimeRepository {
  readonly #jobs: JobRepository;
  readonly #pods: PodRepository;
  readonly #workflows: WorkflowRepository;
  readonly #volumes: VolumeRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.#jobs = new JobRepository(db);
    this.#pods = new PodRepository(db);
    this.#workflows = new WorkflowRepository(db);
    this.#volumes = new VolumeRepository(db);
  }

  commit(batch: RuntimeBatch): Promise<void> {
    return this.#pods.commit(batch);
  }

  async loadJobs(): Promise<
    { job: JobRecord; templates: Map<number, JobTemplates>; workflow: WorkflowRecord | undefined }[]
  > {
    const workflows = await this.#workflows.latestByJob();
    const templates = await this.db
      .selectFrom("job_configs")
      .select(["job_id", "version", "templates"])
      .execute();
    const byJob = new Map<string, Map<number, JobTemplates>>();
    for (const t of templates) {
      const m = byJob.get(t.job_id) ?? new Map<number, JobTemplates>();
      m.set(t.version, t.templates);
      byJob.set(t.job_id, m);
    }
    const out: Awaited<ReturnType<RuntimeRepository["loadJobs"]>> = [];
    for await (const batch of this.#jobs.listAll(1000)) {
      for (const job of batch)
        out.push({ job, templates: byJob.get(job.id) ?? new Map(), workflow: workflows.get(job.id) });
    }
    return out;
  }

  loadPods(): AsyncIterable<readonly PodRuntime[]> {
    return this.#pods.all();
  }

  loadVolumes(): Promise<VolumeRecord[]> {
    return this.#volumes.live();
  }

  loadPod(jobId: string, instance: number): Promise<PodRuntime | undefined> {
    return this.#pods.get(jobId, instance);
  }

  async loadJob(id: string): Promise<{ job: JobRecord; templates: Map<number, JobTemplates> } | undefined> {
    const job = await this.#jobs.get(id);
    if (!job) return undefined;
    const rows = await this.db
      .selectFrom("job_configs")
      .select(["version", "templates"])
      .where("job_id", "=", id)
      .execute();
    return { job, templates: new Map(rows.map((r) => [r.version, r.templates])) };
  }
}
