import { sql, type Transaction } from "kysely";
import type { VolumeRecord } from "../../domain/volume.js";
import type { Database } from "../schema.js";
import { type UnnestColumn, unnestInsert } from "../unnest-insert.js";

const VOLUME_COLUMNS: readonly UnnestColumn[] = [
  ["id", "text"],
  ["job_id", "text"],
  ["instance_id", "int4"],
  ["hostname", "text"],
  ["state", "text"],
  ["goal_state", "text"],
  ["size_mb", "int4"],
  ["container_path", "text"],
  ["created_at", "int8"],
  ["updated_at", "int8"],
];

const VOLUME_UPSERT = sql.raw(
  `ON CONFLICT (id) DO UPDATE SET ${VOLUME_COLUMNS.slice(1)
    .map(([c]) => `${c} = excluded.${c}`)
    .join(", ")}`,
);

/**
 * Inserts or updates volumes by id, in the order given (rows turning DELETED must come before
 * new live volumes of the same instance: one live volume per instance is a unique index).
 */
export async function upsertVolumes(
  tx: Transaction<Database>,
  volumes: readonly VolumeRecord[],
): Promise<void> {
  const rows = volumes.map((v) => [
    v.id,
    v.jobId,
    v.instance,
    v.hostname,
    v.state,
    v.goal,
    v.sizeMb,
    v.containerPath,
    v.createdAt,
    v.updatedAt,
  ]);
  await unnestInsert("volumes", VOLUME_COLUMNS, rows, VOLUME_UPSERT)?.execute(tx);
}
