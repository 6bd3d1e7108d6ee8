import { type Kysely, sql } from "kysely";

/**
 * Each config version also keeps the pod templates derived from its spec (resources, ports,
 * constraints, commands, restart and preemption policy), so the engine and the scheduler read
 * domain data and never decode a proto spec. Jobs get the SLA priority the scheduler orders by.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("job_configs")
    .addColumn("templates", "jsonb", (c) =>
      c.notNull().defaultTo(sql`'{"default": null, "instances": {}}'::jsonb`),
    )
    .execute();
  await db.schema
    .alterTable("jobs")
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("jobs")
    .addColumn("max_unavailable", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("jobs")
    .addColumn("create_spec", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("jobs").dropColumn("create_spec").execute();
  await db.schema.alterTable("jobs").dropColumn("max_unavailable").execute();
  await db.schema.alterTable("jobs").dropColumn("priority").execute();
  await db.schema.alterTable("job_configs").dropColumn("templates").execute();
}
