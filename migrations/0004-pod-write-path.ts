import { type Kysely, sql } from "kysely";

/**
 * Cheaper writes on the engine's path (every tick upserts pods and inserts pod events):
 *
 * - `job_id` of pods and pod_events compares bytewise (COLLATE "C"): a job id is a lowercase
 *   UUID, so the order is the same, but every btree insert compares with memcmp instead of the
 *   locale's strcoll. Equality, and so every query, is unchanged.
 * - pods loses the (job_id, state) and (host) indexes. Every pod query names its job, which the
 *   primary key (job_id, instance_id) finds; and with no index on a column a tick changes, and
 *   room left on each page (fillfactor 80), a pod update is a HOT update that writes no index.
 * - pod_events keeps one index instead of two: its primary key becomes the (job_id, instance_id,
 *   run_id, id) index every event query uses (id alone was never looked up), so each event row
 *   costs one index insert.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("pods_job_state_idx").execute();
  await db.schema.dropIndex("pods_host_idx").execute();
  await sql`ALTER TABLE pods ALTER COLUMN job_id TYPE text COLLATE "C"`.execute(db);
  await sql`ALTER TABLE pods SET (fillfactor = 80)`.execute(db);
  await sql`ALTER TABLE pod_events ALTER COLUMN job_id TYPE text COLLATE "C"`.execute(db);
  await sql`CREATE UNIQUE INDEX pod_events_key ON pod_events (job_id, instance_id, run_id, id)`.execute(db);
  await sql`ALTER TABLE pod_events DROP CONSTRAINT pod_events_pkey`.execute(db);
  await sql`ALTER TABLE pod_events ADD CONSTRAINT pod_events_pkey PRIMARY KEY USING INDEX pod_events_key`.execute(
    db,
  );
  await db.schema.dropIndex("pod_events_pod_idx").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE pod_events DROP CONSTRAINT pod_events_pkey`.execute(db);
  await sql`ALTER TABLE pod_events ADD CONSTRAINT pod_events_pkey PRIMARY KEY (id)`.execute(db);
  await sql`ALTER TABLE pod_events ALTER COLUMN job_id TYPE text COLLATE "default"`.execute(db);
  await db.schema
    .createIndex("pod_events_pod_idx")
    .on("pod_events")
    .columns(["job_id", "instance_id", "run_id", "id"])
    .execute();
  await sql`ALTER TABLE pods RESET (fillfactor)`.execute(db);
  await sql`ALTER TABLE pods ALTER COLUMN job_id TYPE text COLLATE "default"`.execute(db);
  await db.schema.createIndex("pods_host_idx").on("pods").column("host").execute();
  await db.schema.createIndex("pods_job_state_idx").on("pods").columns(["job_id", "state"]).execute();
}
