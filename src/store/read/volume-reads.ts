import type { Kysely, Selectable } from "kysely";
import type { VolumeRecord } from "../../domain/volume.js";
import type { Database, VolumesTable } from "../schema.js";

export const toVolume = (r: Selectable<VolumesTable>): VolumeRecord => ({
  id: r.id,
  jobId: r.job_id,
  instance: r.instance_id,
  hostname: r.hostname,
  state: r.state,
  goal: r.goal_state,
  sizeMb: r.size_mb,
  containerPath: r.container_path,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Persistent volumes, as the API and the engine's start read them. */
export class VolumeReads {
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
