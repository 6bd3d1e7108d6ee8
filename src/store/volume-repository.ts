import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { VolumeRecord, VolumeState } from "../domain/volume.js";
import type { Database, VolumesTable } from "./schema.js";
import { type UnnestColumn, unnestInsert } from "./unnest-insert.js";

export const toVolume = (r: Selectable<VolumesTable>): VolumeRecord => ({
  id: r.id,
  jobId: r.job_id,
  instance: r.instance_id,
  hostname: r.hostname,
  state: r.state as VolumeState,
  goal: r.goal_state as VolumeState,
  sizeMb: r.size_mb,
  containerPath: r.container_path,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Persistent volumes: the API's reads and the engine's start. The engine writes them in its commits. */
export class VolumeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<VolumeRecord | undefined> {
    const row = await this.db.selectFrom("volumes").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toVolume(row);
  }

  /** A job's volumes, deleted ones included, by instance and then age. */
  async listByJob(jobId: string): Promise<VolumeRecord[]> {
    const rows = await this.db
      .selectFrom("volumes")
      .selectAll()
      .where("job_id", "=", jobId)
      .orderBy("instance_id")
      .orderBy("created_at")
      .execute();
    return rows.map(toVolume);
  }

  /** Every volume that is not DELETED (for rebuilding the engine's cache at start). */
  async live(): Promise<VolumeRecord[]> {
    const rows = await this.db.selectFrom("volumes").selectAll().where("state", "<>", "DELETED").execute();
    return rows.map(toVolume);
  }
}

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
