import { type Kysely, sql } from "kysely";

/**
 * An instance has at most one volume that is not DELETED: the host its runs must go to is never
 * ambiguous. Deleted volumes stay as records (state DELETED) until their job is deleted.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX volumes_live_instance_idx ON volumes (job_id, instance_id) WHERE state <> 'DELETED'`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("volumes_live_instance_idx").ifExists().execute();
}
