import type { Kysely, Selectable } from "kysely";
import type { WorkflowEventRecord, WorkflowRecord } from "../../domain/workflow.js";
import type { Database, WorkflowEventsTable, WorkflowsTable } from "../schema.js";

export const toWorkflow = (r: Selectable<WorkflowsTable>): WorkflowRecord => ({
  id: r.id,
  jobId: r.job_id,
  type: r.type,
  state: r.state,
  prevState: r.prev_state,
  settings: r.spec,
  opaqueData: r.opaque_data,
  version: r.version,
  prevVersion: r.prev_version,
  instancesAdded: r.instances_added,
  instancesRemoved: r.instances_removed,
  instancesUpdated: r.instances_updated,
  instancesDone: r.instances_done,
  instancesFailed: r.instances_failed,
  instancesCurrent: r.instances_current,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEvent = (
  r: Pick<
    Selectable<WorkflowEventsTable>,
    "workflow_id" | "job_id" | "type" | "state" | "instances" | "created_at"
  >,
): WorkflowEventRecord => ({
  workflowId: r.workflow_id,
  jobId: r.job_id,
  type: r.type,
  state: r.state,
  ...(r.instances ? { instances: r.instances } : {}),
  at: r.created_at,
});

/** Workflows as the API reads them. */
export class WorkflowReads {
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
      .select(["workflow_id", "job_id", "type", "state", "instances", "created_at"])
      .where("job_id", "=", workflow.jobId)
      .where("workflow_id", "=", workflow.id)
      .where("instances", "is", null)
      .orderBy("id")
      .execute();
    return rows.map(toEvent);
  }

  /** The events of the workflow's instances (each with the instances it is about), oldest first. */
  async instanceEvents(workflow: Pick<WorkflowRecord, "id" | "jobId">): Promise<WorkflowEventRecord[]> {
    const rows = await this.db
      .selectFrom("workflow_events")
      .select(["workflow_id", "job_id", "type", "state", "instances", "created_at"])
      .where("job_id", "=", workflow.jobId)
      .where("workflow_id", "=", workflow.id)
      .where("instances", "is not", null)
      .orderBy("id")
      .execute();
    return rows.map(toEvent);
  }
}
