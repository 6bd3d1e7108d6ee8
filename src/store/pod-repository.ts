import { type Kysely, type Selectable, sql } from "kysely";
import type { PodState } from "../domain/job.js";
import type { PodGoal, PodHealth, PodRuntime } from "../domain/pod.js";
import { isEmptyBatch, type PodEventRecord, type RuntimeBatch } from "../domain/runtime-batch.js";
import { yieldToEventLoop } from "../lib/yield-to-event-loop.js";
import type { Database, PodEventsTable, PodsTable } from "./schema.js";
import { type UnnestColumn, unnestInsert } from "./unnest-insert.js";
import { upsertVolumes } from "./volume-repository.js";
import { insertWorkflowEvents, upsertWorkflows } from "./workflow-repository.js";

export interface StoredPodEvent extends PodEventRecord {
  readonly id: number;
}

/** Rows per statement: one array parameter per column, so this only bounds statement size. */
const CHUNK = 10_000;

const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

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

  /**
   * Writes a tick's changes in one transaction with multi-row statements. The rows go in chunks,
   * pipelined: while the database runs one chunk's statement, the next chunk is encoded.
   */
  async commit(batch: RuntimeBatch): Promise<void> {
    if (isEmptyBatch(batch)) return;
    const encoders = [
      ...chunks(batch.pods).map((rows) => () => upsertPods(rows)),
      ...chunks(batch.events).map((rows) => () => insertEvents(rows)),
    ];
    await this.db.transaction().execute(async (tx) => {
      // unnest() materialises a chunk's rows before the insert reads them: room for that in
      // memory (this transaction only) instead of a temporary file.
      await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
      let running: Promise<unknown> | undefined;
      try {
        for (const encode of encoders) {
          const statement = encode();
          if (running) await running;
          running = statement?.execute(tx);
          // Its failure is seen when it is awaited; marked handled so that it cannot surface as
          // an unhandled rejection while the next chunk is encoded.
          running?.catch(() => {});
          // Let the driver send it before the next chunk's encoding takes the thread.
          if (running) await yieldToEventLoop();
        }
        await running;
      } catch (e) {
        // Settle the statement in flight before the transaction rolls back.
        await running?.catch(() => {});
        throw e;
      }
      for (const rows of chunks(batch.volumes)) await upsertVolumes(tx, rows);
      for (const j of batch.jobs) {
        await tx
          .updateTable("jobs")
          .set({
            state: j.state,
            goal_state: j.goalState,
            desired_state_version: j.desiredStateVersion,
            workflow_version: j.workflowVersion,
            revision: j.revision,
            updated_at: j.updatedAt,
            completed_at: j.completedAt,
          })
          .where("id", "=", j.id)
          .execute();
      }
      await upsertWorkflows(tx, batch.workflows);
      await insertWorkflowEvents(tx, batch.workflowEvents);
      if (batch.deleteJobs.length > 0) {
        await tx
          .deleteFrom("pod_events")
          .where("job_id", "in", [...batch.deleteJobs])
          .execute();
        await tx
          .deleteFrom("volumes")
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

const POD_COLUMNS: readonly UnnestColumn[] = [
  ["job_id", "text"],
  ["instance_id", "int4"],
  ["run_id", "int4"],
  ["state", "text"],
  ["goal_state", "text"],
  ["config_version", "int4"],
  ["desired_config_version", "int4"],
  ["host", "text"],
  ["agent_id", "text"],
  ["ports", "jsonb"],
  ["message", "text"],
  ["reason", "text"],
  ["failure_count", "int4"],
  ["healthy", "text"],
  ["prev_run_id", "int4"],
  ["exit_code", "int4"],
  ["termination_reason", "text"],
  ["volume_id", "text"],
  ["revision", "int4"],
  ["started_at", "int8"],
  ["completed_at", "int8"],
  ["updated_at", "int8"],
];

/** Every column but the key takes the new row's value. */
const POD_UPSERT = sql.raw(
  `ON CONFLICT (job_id, instance_id) DO UPDATE SET ${POD_COLUMNS.slice(2)
    .map(([c]) => `${c} = excluded.${c}`)
    .join(", ")}`,
);

function upsertPods(pods: readonly PodRuntime[]) {
  const rows = pods.map((p) => [
    p.jobId,
    p.instance,
    p.runId,
    p.state,
    p.goal,
    p.configVersion,
    p.desiredConfigVersion,
    p.host,
    p.agentId,
    JSON.stringify(p.ports),
    p.message,
    p.reason,
    p.failureCount,
    p.healthy,
    p.prevRunId,
    p.exitCode,
    p.terminationReason,
    p.volumeId,
    p.revision,
    p.startedAt,
    p.completedAt,
    p.updatedAt,
  ]);
  return unnestInsert("pods", POD_COLUMNS, rows, POD_UPSERT);
}

const EVENT_COLUMNS: readonly UnnestColumn[] = [
  ["job_id", "text"],
  ["instance_id", "int4"],
  ["run_id", "int4"],
  ["actual_state", "text"],
  ["desired_state", "text"],
  ["config_version", "int4"],
  ["desired_config_version", "int4"],
  ["agent_id", "text"],
  ["hostname", "text"],
  ["message", "text"],
  ["reason", "text"],
  ["prev_run_id", "int4"],
  ["healthy", "text"],
  ["created_at", "int8"],
];

function insertEvents(events: readonly PodEventRecord[]) {
  const rows = events.map((e) => [
    e.jobId,
    e.instance,
    e.runId,
    e.actualState,
    e.desiredState,
    e.configVersion,
    e.desiredConfigVersion,
    e.agentId,
    e.hostname,
    e.message,
    e.reason,
    e.prevRunId,
    e.healthy,
    e.at,
  ]);
  return unnestInsert("pod_events", EVENT_COLUMNS, rows);
}
