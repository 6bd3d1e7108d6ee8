import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
} from "kysely";
import type { JobQuery, JobQueryResult, JobRecord } from "../../domain/job.js";
import type { JobTemplates } from "../../domain/pod.js";
import { containsPattern } from "../like-pattern.js";
import type { Database, JobsTable } from "../schema.js";

/** A secret as the API may show it: never its value. */
export interface SecretRef {
  readonly id: string;
  readonly path: string;
}

export const toJob = (row: Selectable<JobsTable>): JobRecord => ({
  id: row.id,
  name: row.name,
  owner: row.owner,
  owningTeam: row.owning_team,
  description: row.description,
  labels: row.labels,
  respoolId: row.respool_id,
  instanceCount: row.instance_count,
  priority: row.priority,
  maxUnavailable: row.max_unavailable,
  state: row.state,
  goalState: row.goal_state,
  configVersion: row.config_version,
  desiredStateVersion: row.desired_state_version,
  workflowVersion: row.workflow_version,
  revision: row.revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  completedAt: row.completed_at,
});

const ORDER_COLUMNS = {
  creation_time: "created_at",
  completion_time: "completed_at",
  name: "name",
  owner: "owner",
  state: "state",
} as const;

/** Jobs and their configurations, as the API reads them. */
export class JobReads {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toJob(row);
  }

  /** The pod templates of one config version. */
  async getTemplates(id: string, version: number): Promise<JobTemplates | undefined> {
    const row = await this.db
      .selectFrom("job_configs")
      .select("templates")
      .where("job_id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    return row?.templates;
  }

  /** The spec of one config version, as stored. */
  async getConfig(id: string, version: number): Promise<Record<string, unknown> | undefined> {
    const row = await this.db
      .selectFrom("job_configs")
      .select("spec")
      .where("job_id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    return row?.spec;
  }

  async secrets(jobId: string): Promise<SecretRef[]> {
    return this.db
      .selectFrom("secrets")
      .select(["id", "path"])
      .where("job_id", "=", jobId)
      .orderBy("path")
      .execute();
  }

  /** Ids of jobs with this exact name, newest first. */
  async idsByName(name: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("jobs")
      .select("id")
      .where("name", "=", name)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map((r) => r.id);
  }

  /** Every job, in batches of `batchSize`, by id (keyset pagination: no long-held cursor). */
  async *listAll(batchSize: number): AsyncGenerator<JobRecord[]> {
    let after = "";
    for (;;) {
      const rows = await this.db
        .selectFrom("jobs")
        .selectAll()
        .where("id", ">", after)
        .orderBy("id")
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map(toJob);
      after = rows[rows.length - 1]!.id;
      if (rows.length < batchSize) return;
    }
  }

  async query(q: JobQuery): Promise<JobQueryResult> {
    const where = (eb: ExpressionBuilder<Database, "jobs">) => {
      const conds: Expression<SqlBool>[] = [];
      if (q.labels.length > 0) {
        conds.push(
          sql<SqlBool>`labels @> ${JSON.stringify(q.labels.map((l) => ({ key: l.key, value: l.value })))}::jsonb`,
        );
      }
      for (const kw of q.keywords) conds.push(eb("search_text", "like", containsPattern(kw.toLowerCase())));
      if (q.states.length > 0) conds.push(eb("state", "in", [...q.states]));
      if (q.respoolIds)
        conds.push(q.respoolIds.length ? eb("respool_id", "in", [...q.respoolIds]) : sql<SqlBool>`false`);
      if (q.owner) conds.push(eb("owner", "=", q.owner));
      if (q.name) conds.push(eb("name", "like", containsPattern(q.name)));
      if (q.creationTime?.min !== undefined) conds.push(eb("created_at", ">=", q.creationTime.min));
      if (q.creationTime?.max !== undefined) conds.push(eb("created_at", "<=", q.creationTime.max));
      if (q.completionTime?.min !== undefined) conds.push(eb("completed_at", ">=", q.completionTime.min));
      if (q.completionTime?.max !== undefined) conds.push(eb("completed_at", "<=", q.completionTime.max));
      return eb.and(conds);
    };

    const count = await this.db
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(where)
      .executeTakeFirstOrThrow();
    const matched = Number(count.n);
    const total = q.maxLimit > 0 ? Math.min(matched, q.maxLimit) : matched;
    const limit = Math.max(0, Math.min(q.limit, total - q.offset));
    if (limit === 0) return { records: [], total };

    let query = this.db.selectFrom("jobs").selectAll().where(where);
    const orderBy =
      q.orderBy.length > 0 ? q.orderBy : [{ property: "creation_time" as const, descending: true }];
    for (const o of orderBy) {
      const column = ORDER_COLUMNS[o.property];
      query = query.orderBy(column, (ob) => (o.descending ? ob.desc().nullsLast() : ob.asc().nullsLast()));
    }
    const rows = await query.orderBy("id").offset(q.offset).limit(limit).execute();
    return { records: rows.map(toJob), total };
  }

  /** Pod counts per job, by pod state and by config version. */
  async podStats(
    jobIds: readonly string[],
  ): Promise<Map<string, { byState: Record<string, number>; byVersion: Record<string, number> }>> {
    const out = new Map<string, { byState: Record<string, number>; byVersion: Record<string, number> }>();
    if (jobIds.length === 0) return out;
    for (const id of jobIds) out.set(id, { byState: {}, byVersion: {} });
    const rows = await this.db
      .selectFrom("pods")
      .select(["job_id", "state", "config_version", (eb) => eb.fn.countAll<number>().as("n")])
      .where("job_id", "in", [...jobIds])
      .groupBy(["job_id", "state", "config_version"])
      .execute();
    for (const r of rows) {
      const stats = out.get(r.job_id)!;
      stats.byState[r.state] = (stats.byState[r.state] ?? 0) + Number(r.n);
      stats.byVersion[String(r.config_version)] =
        (stats.byVersion[String(r.config_version)] ?? 0) + Number(r.n);
    }
    return out;
  }
}
