import { type Kysely, sql } from "kysely";

/**
 * CreateSpec settings live with the create workflow (workflows.spec), which is what brings a
 * job's instances up: the copy on the job row goes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("jobs").dropColumn("create_spec").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("jobs")
    .addColumn("create_spec", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}
