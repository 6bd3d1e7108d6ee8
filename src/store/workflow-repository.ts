import type { Kysely, Selectable, Transaction } from "kysely";
import type { InstanceRanges } from "../domain/instance-ranges.js";
import type {
  WorkflowEventRecord,
  WorkflowRecord,
  WorkflowSettings,
  WorkflowState,
  WorkflowType,
} from "../domain/workflow.js";
import type { Database, RangesRow, WorkflowsTable } from "./schema.js";

type Db = Kysely<Database> | Transaction<Database>;

const json = (r: InstanceRanges) => JSON.stringify(r);

const toWorkflow = (r: Selectable<WorkflowsTable>): WorkflowRecord => ({
  id: r.id,
  jobId: r.job_id,
  type: r.type as WorkflowType,
  state: r.state as WorkflowState,
  prevState: r.prev_state as WorkflowState,
  settings: r.spec as unknown as WorkflowSettings,
  opaqueData: r.opaque_data,
  version: r.version,
  prevVersion: r.prev_version,
  instancesAdded: r.instances_added as RangesRow,
  instancesRemoved: r.instances_removed as RangesRow,
  instancesUpdated: r.instances_updated as RangesRow,
  instancesDone: r.instances_done as RangesRow,
  instancesFailed: r.instances_failed as RangesRow,
  instancesCurrent: r.instances_current as RangesRow,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Stores new workflows and moves existing ones on (their progress is a few ranges each). */
export async function upsertWorkflows(db: Db, workflows: readonly WorkflowRecord[]): Promise<void> {
  if (workflows.length === 0) return;
  await db
    .insertInto("workflows")
    .values(
      workflows.map((w) => ({
        id: w.id,
        job_id: w.jobId,
        type: w.type,
        state: w.state,
        prev_state: w.prevState,
        spec: JSON.stringify(w.settings),
        opaque_data: w.opaqueData,
        version: w.version,
        prev_version: w.prevVersion,
        instances_added: json(w.instancesAdded),
        instances_removed: json(w.instancesRemoved),
        instances_updated: json(w.instancesUpdated),
        instances_done: json(w.instancesDone),
        instances_failed: json(w.instancesFailed),
        instances_current: json(w.instancesCurrent),
        created_at: w.createdAt,
        updated_at: w.updatedAt,
      })),
    )
    .onConflict((oc) =>
      oc.column("id").doUpdateSet((eb) => ({
        state: eb.ref("excluded.state"),
        prev_state: eb.ref("excluded.prev_state"),
        opaque_data: eb.ref("excluded.opaque_data"),
        instances_done: eb.ref("excluded.instances_done"),
        instances_failed: eb.ref("excluded.instances_failed"),
        instances_current: eb.ref("excluded.instances_current"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

export async function insertWorkflowEvents(db: Db, events: readonly WorkflowEventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto("workflow_events")
    .values(
      events.map((e) => ({
        workflow_id: e.workflowId,
        job_id: e.jobId,
        instance_id: null,
        type: e.type,
        state: e.state,
        created_at: e.at,
      })),
    )
    .execute();
}

/** Workflows as the API reads them. */
export class WorkflowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A job's latest workflow: the one under way, or the last one that ended. */
  async latest(jobId: string): Promise<WorkflowRecord | undefined> {
    const row = await this.db
      .selectFrom("workflows")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    return row && toWorkflow(row);
  }

  /** The latest workflow of each of these jobs (all jobs when `jobIds` is undefined). */
  async latestByJob(jobIds?: readonly string[]): Promise<Map<string, WorkflowRecord>> {
    if (jobIds?.length === 0) return new Map();
    let q = this.db
      .selectFrom("workflows")
      .selectAll()
      .distinctOn("job_id")
      .orderBy("job_id")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc");
    if (jobIds) q = q.where("job_id", "in", [...jobIds]);
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.job_id, toWorkflow(r)]));
  }

  /** The workflow's own events (not its instances'), oldest first. */
  async events(workflow: Pick<WorkflowRecord, "id" | "jobId">): Promise<WorkflowEventRecord[]> {
    const rows = await this.db
      .selectFrom("workflow_events")
      .select(["workflow_id", "job_id", "type", "state", "created_at"])
      .where("job_id", "=", workflow.jobId)
      .where("instance_id", "is", null)
      .where("workflow_id", "=", workflow.id)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      jobId: r.job_id,
      type: r.type as WorkflowType,
      state: r.state as WorkflowState,
      at: r.created_at,
    }));
  }
}
