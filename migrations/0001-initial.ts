import { type Kysely, sql } from "kysely";

/**
 * The whole first schema: pools, jobs (runtime row + one config row per version), pods, pod
 * events, workflows and their events, hosts, volumes and secrets, with an index for every
 * job QuerySpec filter and for listing pods by job and state.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await db.schema
    .createTable("resource_pools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("parent_id", "text", (c) => c.references("resource_pools.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull().unique())
    .addColumn("config", "jsonb", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("resource_pools_parent_name_key", ["parent_id", "name"])
    .execute();
  // The root pool always exists. Its capacity is the fleet's, so it reserves nothing itself.
  const rootConfig = {
    name: "root",
    owningTeam: "",
    ldapGroups: [],
    description: "The root of the resource pool tree",
    resources: [],
    policy: "PRIORITY_FIFO",
  };
  await db
    .insertInto("resource_pools")
    .values({
      id: "root",
      parent_id: null,
      name: "root",
      path: "/",
      config: JSON.stringify(rootConfig),
      revision: 1,
      created_at: 0,
      updated_at: 0,
    })
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("owning_team", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("labels", "jsonb", (c) => c.notNull())
    .addColumn("search_text", "text", (c) => c.notNull())
    .addColumn("respool_id", "text", (c) => c.notNull().references("resource_pools.id"))
    .addColumn("instance_count", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("goal_state", "text", (c) => c.notNull())
    .addColumn("config_version", "integer", (c) => c.notNull())
    .addColumn("desired_state_version", "integer", (c) => c.notNull())
    .addColumn("workflow_version", "integer", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("completed_at", "bigint")
    .execute();
  await db.schema.createIndex("jobs_labels_idx").on("jobs").using("gin").column("labels").execute();
  await sql`CREATE INDEX jobs_search_text_idx ON jobs USING gin (search_text gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX jobs_name_trgm_idx ON jobs USING gin (name gin_trgm_ops)`.execute(db);
  await db.schema.createIndex("jobs_name_created_idx").on("jobs").columns(["name", "created_at"]).execute();
  await db.schema.createIndex("jobs_owner_idx").on("jobs").column("owner").execute();
  await db.schema.createIndex("jobs_state_idx").on("jobs").column("state").execute();
  await db.schema.createIndex("jobs_respool_idx").on("jobs").column("respool_id").execute();
  await db.schema.createIndex("jobs_created_at_idx").on("jobs").column("created_at").execute();
  await db.schema.createIndex("jobs_completed_at_idx").on("jobs").column("completed_at").execute();

  await db.schema
    .createTable("job_configs")
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("spec", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_configs_pkey", ["job_id", "version"])
    .execute();

  await db.schema
    .createTable("pods")
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("instance_id", "integer", (c) => c.notNull())
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("goal_state", "text", (c) => c.notNull())
    .addColumn("config_version", "integer", (c) => c.notNull())
    .addColumn("desired_config_version", "integer", (c) => c.notNull())
    .addColumn("host", "text")
    .addColumn("agent_id", "text")
    .addColumn("desired_host", "text")
    .addColumn("ports", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("healthy", "text", (c) => c.notNull().defaultTo("DISABLED"))
    .addColumn("prev_run_id", "integer")
    .addColumn("desired_run_id", "integer")
    .addColumn("exit_code", "integer")
    .addColumn("termination_reason", "text")
    .addColumn("volume_id", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("started_at", "bigint")
    .addColumn("completed_at", "bigint")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("pods_pkey", ["job_id", "instance_id"])
    .execute();
  await db.schema.createIndex("pods_job_state_idx").on("pods").columns(["job_id", "state"]).execute();
  await db.schema.createIndex("pods_host_idx").on("pods").column("host").execute();

  await db.schema
    .createTable("pod_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("instance_id", "integer", (c) => c.notNull())
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("actual_state", "text", (c) => c.notNull())
    .addColumn("desired_state", "text", (c) => c.notNull())
    .addColumn("config_version", "integer", (c) => c.notNull())
    .addColumn("desired_config_version", "integer", (c) => c.notNull())
    .addColumn("agent_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("hostname", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("prev_run_id", "integer")
    .addColumn("desired_run_id", "integer")
    .addColumn("healthy", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("pod_events_pod_idx")
    .on("pod_events")
    .columns(["job_id", "instance_id", "run_id", "id"])
    .execute();

  await db.schema
    .createTable("workflows")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("prev_state", "text", (c) => c.notNull())
    .addColumn("spec", "jsonb", (c) => c.notNull())
    .addColumn("opaque_data", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("prev_version", "text", (c) => c.notNull())
    .addColumn("instances_added", "jsonb", (c) => c.notNull())
    .addColumn("instances_removed", "jsonb", (c) => c.notNull())
    .addColumn("instances_updated", "jsonb", (c) => c.notNull())
    .addColumn("instances_done", "jsonb", (c) => c.notNull())
    .addColumn("instances_failed", "jsonb", (c) => c.notNull())
    .addColumn("instances_current", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workflows_job_idx")
    .on("workflows")
    .columns(["job_id", "created_at"])
    .execute();

  await db.schema
    .createTable("workflow_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workflow_id", "text", (c) => c.notNull().references("workflows.id").onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("instance_id", "integer")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("workflow_events_job_idx")
    .on("workflow_events")
    .columns(["job_id", "instance_id", "id"])
    .execute();

  await db.schema
    .createTable("hosts")
    .addColumn("hostname", "text", (c) => c.primaryKey())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("capacity", "jsonb", (c) => c.notNull())
    .addColumn("labels", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("hosts_state_idx").on("hosts").column("state").execute();

  await db.schema
    .createTable("volumes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("instance_id", "integer", (c) => c.notNull())
    .addColumn("hostname", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("goal_state", "text", (c) => c.notNull())
    .addColumn("size_mb", "integer", (c) => c.notNull())
    .addColumn("container_path", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("volumes_job_idx").on("volumes").columns(["job_id", "instance_id"]).execute();

  await db.schema
    .createTable("secrets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("job_id", "text", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("value", "bytea", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("secrets_job_idx").on("secrets").column("job_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "secrets",
    "volumes",
    "hosts",
    "workflow_events",
    "workflows",
    "pod_events",
    "pods",
    "job_configs",
    "jobs",
    "resource_pools",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
