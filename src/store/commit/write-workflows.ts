import type { Transaction } from "kysely";
import type { InstanceRanges } from "../../domain/instance-ranges.js";
import type { WorkflowEventRecord, WorkflowRecord } from "../../domain/workflow.js";
import type { Database } from "../schema.js";

const json = (r: InstanceRanges) => JSON.stringify(r);

/** Stores new workflows and moves existing ones on (their progress is a few ranges each). */
export async function upsertWorkflows(
  tx: Transaction<Database>,
  workflows: readonly WorkflowRecord[],
): Promise<void> {
  if (workflows.length === 0) return;
  await tx
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
        spec: eb.ref("excluded.spec"),
        opaque_data: eb.ref("excluded.opaque_data"),
        version: eb.ref("excluded.version"),
        prev_version: eb.ref("excluded.prev_version"),
        instances_added: eb.ref("excluded.instances_added"),
        instances_removed: eb.ref("excluded.instances_removed"),
        instances_updated: eb.ref("excluded.instances_updated"),
        instances_done: eb.ref("excluded.instances_done"),
        instances_failed: eb.ref("excluded.instances_failed"),
        instances_current: eb.ref("excluded.instances_current"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Events of workflows (no `instances`) and of their instances (`instances` as ranges). */
export async function insertWorkflowEvents(
  tx: Transaction<Database>,
  events: readonly WorkflowEventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto("workflow_events")
    .values(
      events.map((e) => ({
        workflow_id: e.workflowId,
        job_id: e.jobId,
        instance_id: null,
        instances: e.instances ? json(e.instances) : null,
        type: e.type,
        state: e.state,
        created_at: e.at,
      })),
    )
    .execute();
}
