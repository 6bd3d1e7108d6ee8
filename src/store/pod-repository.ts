import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { PodState } from "../domain/job.js";
import type { PodGoal, PodHealth, PodRuntime } from "../domain/pod.js";
import { isEmptyBatch, type PodEventRecord, type RuntimeBatch } from "../domain/runtime-batch.js";
import type { Database, PodEventsTable, PodsTable } from "./schema.js";

export interface StoredPodEvent extends PodEventRecord {
  readonly id: number;
}

/** Rows per multi-row statement: well under Postgres' 65,535 parameters for every table here. */
const CHUNK = 1000;

const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

const toRow = (p: PodRuntime) => ({
  job_id: p.jobId,
  instance_id: p.instance,
  run_id: p.runId,
  state: p.state,
  goal_state: p.goal,
  config_version: p.configVersion,
  desired_config_version: p.desiredConfigVersion,
  host: p.host,
  agent_id: p.agentId,
  desired_host: null,
  ports: JSON.stringify(p.ports),
  message: p.message,
  reason: p.reason,
  failure_count: p.failureCount,
  healthy: p.healthy,
  prev_run_id: p.prevRunId,
  desired_run_id: null,
  exit_code: p.exitCode,
  termination_reason: p.terminationReason,
  volume_id: null,
  revision: p.revision,
  started_at: p.startedAt,
  completed_at: p.completedAt,
  updated_at: p.updatedAt,
});

export const toPod = (r: Selectable<PodsTable>): PodRuntime => ({
  jobId: r.job_id,
  instance: r.instance_id,
  runId: r.run_id,
  state: r.state as PodState,
  goal: r.goal_state as PodGoal,
  configVersion: r.config_version,
  desiredConfigVersion: r.desired_config_version,
  host: r.host,
  agentId: r.agent_id,
  ports: r.ports,
  message: r.message,
  reason: r.reason,
  failureCount: r.failure_count,
  healthy: r.healthy as PodHealth,
  prevRunId: r.prev_run_id,
  exitCode: r.exit_code,
  terminationReason: r.termination_reason,
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
  actualState: r.actual_state as PodState,
  desiredState: r.desired_state as PodState,
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

export interface PodQuery {
  readonly jobId: string;
  readonly states: readonly PodState[];
  readonly instances?: readonly number[];
  readonly hosts: readonly string[];
  readonly offset: number;
  readonly limit: number;
}

/** Pods and pod events: the engine's batched writes and the API's reads. */
export class PodRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes a tick's changes in one transaction with multi-row statements. */
  async commit(batch: RuntimeBatch): Promise<void> {
    if (isEmptyBatch(batch)) return;
    await this.db.transaction().execute(async (tx) => {
      for (const rows of chunks(batch.pods)) await upsertPods(tx, rows);
      for (const rows of chunks(batch.events)) await insertEvents(tx, rows);
      for (const j of batch.jobs) {
        await tx
          .updateTable("jobs")
          .set({
            state: j.state,
            goal_state: j.goalState,
            desired_state_version: j.desiredStateVersion,
            revision: j.revision,
            updated_at: j.updatedAt,
            completed_at: j.completedAt,
          })
          .where("id", "=", j.id)
          .execute();
      }
      if (batch.deleteJobs.length > 0) {
        await tx
          .deleteFrom("pod_events")
          .where("job_id", "in", [...batch.deleteJobs])
          .execute();
        await tx
          .deleteFrom("jobs")
          .where("id", "in", [...batch.deleteJobs])
          .execute();
      }
    });
  }

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

  /** Deletes the events of one run (or of every run of the instance). */
  async deleteEvents(jobId: string, instance: number, runId?: number): Promise<void> {
    let q = this.db.deleteFrom("pod_events").where("job_id", "=", jobId).where("instance_id", "=", instance);
    if (runId !== undefined) q = q.where("run_id", "=", runId);
    await q.execute();
  }
}

async function upsertPods(tx: Transaction<Database>, pods: readonly PodRuntime[]): Promise<void> {
  await tx
    .insertInto("pods")
    .values(pods.map(toRow))
    .onConflict((oc) =>
      oc.columns(["job_id", "instance_id"]).doUpdateSet((eb) => ({
        run_id: eb.ref("excluded.run_id"),
        state: eb.ref("excluded.state"),
        goal_state: eb.ref("excluded.goal_state"),
        config_version: eb.ref("excluded.config_version"),
        desired_config_version: eb.ref("excluded.desired_config_version"),
        host: eb.ref("excluded.host"),
        agent_id: eb.ref("excluded.agent_id"),
        ports: eb.ref("excluded.ports"),
        message: eb.ref("excluded.message"),
        reason: eb.ref("excluded.reason"),
        failure_count: eb.ref("excluded.failure_count"),
        healthy: eb.ref("excluded.healthy"),
        prev_run_id: eb.ref("excluded.prev_run_id"),
        exit_code: eb.ref("excluded.exit_code"),
        termination_reason: eb.ref("excluded.termination_reason"),
        revision: eb.ref("excluded.revision"),
        started_at: eb.ref("excluded.started_at"),
        completed_at: eb.ref("excluded.completed_at"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

async function insertEvents(tx: Transaction<Database>, events: readonly PodEventRecord[]): Promise<void> {
  await tx
    .insertInto("pod_events")
    .values(
      events.map((e) => ({
        job_id: e.jobId,
        instance_id: e.instance,
        run_id: e.runId,
        actual_state: e.actualState,
        desired_state: e.desiredState,
        config_version: e.configVersion,
        desired_config_version: e.desiredConfigVersion,
        agent_id: e.agentId,
        hostname: e.hostname,
        message: e.message,
        reason: e.reason,
        prev_run_id: e.prevRunId,
        desired_run_id: null,
        healthy: e.healthy,
        created_at: e.at,
      })),
    )
    .execute();
}
