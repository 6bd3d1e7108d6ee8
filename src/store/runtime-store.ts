import type { Kysely } from "kysely";
import type { ChangeSet } from "../domain/change-set.js";
import type { JobRecord } from "../domain/job.js";
import type { JobTemplates, PodRuntime } from "../domain/pod.js";
import type { RuntimeSnapshot, StoredJob } from "../domain/runtime-snapshot.js";
import { commitChanges, storedRevision } from "./commit/commit.js";
import { HostReads } from "./read/host-reads.js";
import { JobReads } from "./read/job-reads.js";
import { PodReads } from "./read/pod-reads.js";
import { PoolReads } from "./read/pool-reads.js";
import { VolumeReads } from "./read/volume-reads.js";
import { WorkflowReads } from "./read/workflow-reads.js";
import type { Database } from "./schema.js";

/** What the engine reads at start (and after a failure) and writes in every commit. */
export class RuntimeStore {
  readonly #jobs: JobReads;
  readonly #pods: PodReads;

  /** `epoch`: the leader lease's epoch this server holds, which every commit is fenced by (none on PGlite). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly epoch?: () => number | undefined,
  ) {
    this.#jobs = new JobReads(db);
    this.#pods = new PodReads(db);
  }

  commit(changes: ChangeSet, revision: number, at: number): Promise<void> {
    return commitChanges(this.db, changes, revision, at, this.epoch?.());
  }

  /** Everything but the pods: the last revision, jobs with their templates and latest workflows, pools, hosts, live volumes. */
  async load(): Promise<RuntimeSnapshot> {
    const revision = await storedRevision(this.db);
    const workflows = await new WorkflowReads(this.db).latestByJob();
    const templates = await this.db
      .selectFrom("job_configs")
      .select(["job_id", "version", "templates"])
      .execute();
    const byJob = new Map<string, Map<number, JobTemplates>>();
    for (const t of templates) {
      const m = byJob.get(t.job_id);
      if (m) m.set(t.version, t.templates);
      else byJob.set(t.job_id, new Map([[t.version, t.templates]]));
    }
    const jobs: StoredJob[] = [];
    for await (const batch of this.#jobs.listAll(1000)) {
      for (const job of batch)
        jobs.push({ job, templates: byJob.get(job.id) ?? new Map(), workflow: workflows.get(job.id) });
    }
    return {
      revision,
      jobs,
      pools: await new PoolReads(this.db).list(),
      hosts: await new HostReads(this.db).list(),
      volumes: await new VolumeReads(this.db).live(),
    };
  }

  loadPods(): AsyncIterable<readonly PodRuntime[]> {
    return this.#pods.all();
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
