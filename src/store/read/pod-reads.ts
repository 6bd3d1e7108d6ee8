import { type Kysely, type Selectable, sql } from "kysely";
import type { StoredPodEvent } from "../../domain/change-set.js";
import type { PodQuery, PodRuntime } from "../../domain/pod.js";
import type { Database, PodEventsTable, PodsTable } from "../schema.js";

export const toPod = (r: Selectable<PodsTable>): PodRuntime => ({
  jobId: r.job_id,
  instance: r.instance_id,
  runId: r.run_id,
  state: r.state,
  goal: r.goal_state,
  configVersion: r.config_version,
  desiredConfigVersion: r.desired_config_version,
  host: r.host,
  agentId: r.agent_id,
  ports: r.ports,
  message: r.message,
  reason: r.reason,
  failureCount: r.failure_count,
  healthy: r.healthy,
  prevRunId: r.prev_run_id,
  exitCode: r.exit_code,
  terminationReason: r.termination_reason,
  volumeId: r.volume_id,
  startedAt: r.started_at,
  completedAt: r.completed_at,
  updatedAt: r.updated_at,
  revision: r.revision,
});

const toEvent = (r: Selectable<PodEventsTable>): StoredPodEvent => ({
  id: Number(r.id),
  jobId: r.job_id,
  instance: r.instance_id,
  runId: r.run_id,
  actualState: r.actual_state,
  desiredState: r.desired_state,
  configVersion: r.config_version,
  desiredConfigVersion: r.desired_config_version,
  agentId: r.agent_id,
  hostname: r.hostname,
  message: r.message,
  reason: r.reason,
  prevRunId: r.prev_run_id,
  healthy: r.healthy,
  at: r.created_at,
});

/** Pods and pod events, as the API and the engine's start read them. */
export class PodReads {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every pod, in pages (for rebuilding the engine's cache at start). */
  async *all(pageSize = 10_000): AsyncGenerator<PodRuntime[]> {
    let after = { job: "", instance: -1 };
    for (;;) {
      const rows = await this.db
        .selectFrom("pods")
        .selectAll()
        .where((eb) =>
          eb.or([
            eb("job_id", ">", after.job),
            eb.and([eb("job_id", "=", after.job), eb("instance_id", ">", after.instance)]),
          ]),
        )
        .orderBy("job_id")
        .orderBy("instance_id")
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map(toPod);
      const last = rows[rows.length - 1]!;
      after = { job: last.job_id, instance: last.instance_id };
      if (rows.length < pageSize) return;
    }
  }

  async get(jobId: string, instance: number): Promise<PodRuntime | undefined> {
    const row = await this.db
      .selectFrom("pods")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("instance_id", "=", instance)
      .executeTakeFirst();
    return row && toPod(row);
  }

  /** A job's pods with instance ids in [from, to), by instance. */
  async listByJob(jobId: string, from = 0, to = 2 ** 31 - 1): Promise<PodRuntime[]> {
    const rows = await this.db
      .selectFrom("pods")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("instance_id", ">=", from)
      .where("instance_id", "<", to)
      .orderBy("instance_id")
      .execute();
    return rows.map(toPod);
  }

  async query(q: PodQuery): Promise<{ pods: PodRuntime[]; total: number }> {
    let base = this.db.selectFrom("pods").where("job_id", "=", q.jobId);
    if (q.states.length > 0) base = base.where("state", "in", [...q.states]);
    if (q.instances)
      base =
        q.instances.length > 0
          ? base.where("instance_id", "in", [...q.instances])
          : base.where(sql<boolean>`false`);
    if (q.hosts.length > 0) base = base.where("host", "in", [...q.hosts]);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy("instance_id").offset(q.offset).limit(q.limit).execute();
    return { pods: rows.map(toPod), total: Number(n) };
  }

  /** Events of one instance: of run `runId`, or of its latest run with events. */
  async events(jobId: string, instance: number, runId?: number): Promise<StoredPodEvent[]> {
    let run = runId;
    if (run === undefined) {
      const latest = await this.db
        .selectFrom("pod_events")
        .select((eb) => eb.fn.max("run_id").as("run"))
        .where("job_id", "=", jobId)
        .where("instance_id", "=", instance)
        .executeTakeFirst();
      if (latest?.run === null || latest?.run === undefined) return [];
      run = Number(latest.run);
    }
    const rows = await this.db
      .selectFrom("pod_events")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("instance_id", "=", instance)
      .where("run_id", "=", run)
      .orderBy("id")
      .execute();
    return rows.map(toEvent);
  }

  /** The runs of an instance that have events, newest first. */
  async runIds(jobId: string, instance: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom("pod_events")
      .select("run_id")
      .distinct()
      .where("job_id", "=", jobId)
      .where("instance_id", "=", instance)
      .orderBy("run_id", "desc")
      .execute();
    return rows.map((r) => r.run_id);
  }
}
