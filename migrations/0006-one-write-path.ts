import { type Kysely, sql } from "kysely";

/**
 * The one write path: every commit takes the next global revision.
 *
 * - `engine_revision` holds the revision of the last commit (one row). A commit moves it from
 *   R−1 to R in its own transaction, so a writer that does not hold the latest revision (a
 *   second engine, a commit whose outcome was lost) cannot commit; it is durable and never
 *   reused.
 * - `commit_log` keeps, per revision, which entities that commit changed (compact: pods as
 *   instance ranges per job). A replica following the commits, or a watch replaying history,
 *   reads what changed after revision R from it and the rows it names.
 * - jobs and pods record the revision of the commit that last changed them (no index: a pod
 *   update stays a HOT update).
 * - hosts keep their maintenance goal beside their state.
 * - workflow events of instances are stored as ranges of instances per event.
 * - every state column accepts only the states the code knows (CHECK constraints).
 * - pool paths are unique when a transaction ends, not row by row: a rename moves a subtree's
 *   paths in one multi-row statement.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("engine_revision")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("revision", "bigint", (c) => c.notNull())
    .addColumn("epoch", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto("engine_revision").values({ id: 1, revision: 0, epoch: 0 }).execute();

  await db.schema
    .createTable("commit_log")
    .addColumn("revision", "bigint", (c) => c.primaryKey())
    .addColumn("committed_at", "bigint", (c) => c.notNull())
    .addColumn("changes", "jsonb", (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable("jobs")
    .addColumn("changed_revision", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("pods")
    .addColumn("changed_revision", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("hosts")
    .addColumn("goal_state", "text", (c) => c.notNull().defaultTo("UP"))
    .execute();
  await sql`UPDATE hosts SET goal_state = 'DOWN' WHERE state IN ('DRAINING', 'DRAINED', 'DOWN')`.execute(db);
  await db.schema.alterTable("workflow_events").addColumn("instances", "jsonb").execute();

  await sql`ALTER TABLE resource_pools DROP CONSTRAINT resource_pools_path_key`.execute(db);
  await sql`ALTER TABLE resource_pools ADD CONSTRAINT resource_pools_path_key UNIQUE (path) DEFERRABLE INITIALLY DEFERRED`.execute(
    db,
  );
  for (const [table, column, values] of CHECKS) {
    const list = sql.join(values.map((v) => sql.lit(v)));
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.raw(`${table}_${column}_check`)} CHECK (${sql.ref(column)} IN (${list}))`.execute(
      db,
    );
  }
}

const POD_STATES = [
  "INITIALIZED",
  "PENDING",
  "READY",
  "PLACING",
  "PLACED",
  "LAUNCHING",
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "LOST",
  "KILLING",
  "KILLED",
  "PREEMPTING",
  "DELETED",
];
const JOB_STATES = [
  "INITIALIZED",
  "PENDING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "KILLED",
  "KILLING",
  "UNINITIALIZED",
  "DELETED",
];
const WORKFLOW_STATES = [
  "INITIALIZED",
  "ROLLING_FORWARD",
  "PAUSED",
  "SUCCEEDED",
  "ABORTED",
  "FAILED",
  "ROLLING_BACKWARD",
  "ROLLED_BACK",
];
const HOST_STATES = ["UNKNOWN", "UP", "DRAINING", "DRAINED", "DOWN"];
const HEALTH = ["DISABLED", "UNKNOWN", "HEALTHY", "UNHEALTHY"];

/** The closed sets each state column is held to, written out: a migration never changes. */
const CHECKS: readonly (readonly [string, string, readonly string[]])[] = [
  ["jobs", "state", JOB_STATES],
  ["jobs", "goal_state", ["RUNNING", "KILLED", "DELETED"]],
  ["pods", "state", POD_STATES],
  ["pods", "goal_state", ["RUNNING", "KILLED", "DELETED"]],
  ["pods", "healthy", HEALTH],
  ["pod_events", "actual_state", POD_STATES],
  ["pod_events", "desired_state", POD_STATES],
  ["workflows", "type", ["UPDATE", "RESTART"]],
  ["workflows", "state", WORKFLOW_STATES],
  ["workflows", "prev_state", WORKFLOW_STATES],
  ["workflow_events", "type", ["UPDATE", "RESTART"]],
  ["workflow_events", "state", WORKFLOW_STATES],
  ["hosts", "state", HOST_STATES],
  ["hosts", "goal_state", ["UP", "DOWN"]],
  ["volumes", "state", ["INITIALIZED", "CREATED", "DELETED"]],
  ["volumes", "goal_state", ["INITIALIZED", "CREATED", "DELETED"]],
];

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of CHECKS) {
    await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.raw(`${table}_${column}_check`)}`.execute(
      db,
    );
  }
  await sql`ALTER TABLE resource_pools DROP CONSTRAINT resource_pools_path_key`.execute(db);
  await sql`ALTER TABLE resource_pools ADD CONSTRAINT resource_pools_path_key UNIQUE (path)`.execute(db);
  await db.schema.alterTable("workflow_events").dropColumn("instances").execute();
  await db.schema.alterTable("hosts").dropColumn("goal_state").execute();
  await db.schema.alterTable("pods").dropColumn("changed_revision").execute();
  await db.schema.alterTable("jobs").dropColumn("changed_revision").execute();
  await db.schema.dropTable("commit_log").execute();
  await db.schema.dropTable("engine_revision").execute();
}
