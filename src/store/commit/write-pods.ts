import { sql, type Transaction } from "kysely";
import type { PodEventRecord, PodEventsDeletion } from "../../domain/change-set.js";
import type { PodRuntime } from "../../domain/pod.js";
import type { Database } from "../schema.js";
import { type UnnestColumn, unnestArrays, unnestInsert } from "../unnest-insert.js";

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

/** Every column but the key takes the new row's value, and the row the commit's revision. */
const POD_UPSERT = sql.raw(
  `ON CONFLICT (job_id, instance_id) DO UPDATE SET ${[
    ...POD_COLUMNS.slice(2).map(([c]) => c),
    "changed_revision",
  ]
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`,
);

/** One statement upserting `pods`, stamped with the commit's revision. */
export function upsertPods(pods: readonly PodRuntime[], revision: number) {
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
  return unnestInsert("pods", POD_COLUMNS, rows, POD_UPSERT, [["changed_revision", revision]]);
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

/** One statement inserting pod events. */
export function insertPodEvents(events: readonly PodEventRecord[]) {
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

const RUN_COLUMNS: readonly UnnestColumn[] = [
  ["job_id", "text"],
  ["instance_id", "int4"],
  ["run_id", "int4"],
];

/** Deletes the events of the runs named (every run of an instance for a null run id). */
export async function deletePodEvents(
  tx: Transaction<Database>,
  runs: readonly PodEventsDeletion[],
): Promise<void> {
  if (runs.length === 0) return;
  const arrays = unnestArrays(
    RUN_COLUMNS,
    runs.map((r) => [r.jobId, r.instance, r.runId]),
  );
  await sql`DELETE FROM pod_events e USING unnest(${arrays}) AS r(job_id, instance_id, run_id)
    WHERE e.job_id = r.job_id AND e.instance_id = r.instance_id
      AND (r.run_id IS NULL OR e.run_id = r.run_id)`.execute(tx);
}
