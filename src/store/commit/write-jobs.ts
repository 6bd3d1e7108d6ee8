import { sql, type Transaction } from "kysely";
import type { NewJobChange } from "../../domain/change-set.js";
import type { JobConfigRecord, JobRecord } from "../../domain/job.js";
import type { Database } from "../schema.js";
import { type UnnestColumn, unnestArrays } from "../unnest-insert.js";

/** What keyword search looks in: name, owner, description and labels, lower-cased. */
export const searchText = (job: Pick<JobRecord, "name" | "owner" | "description" | "labels">): string =>
  [job.name, job.owner, job.description, ...job.labels.flatMap((l) => [l.key, l.value])]
    .join("\n")
    .toLowerCase();

const jobRow = (j: JobRecord, revision: number) => ({
  id: j.id,
  name: j.name,
  owner: j.owner,
  owning_team: j.owningTeam,
  description: j.description,
  labels: JSON.stringify(j.labels.map((l) => ({ key: l.key, value: l.value }))),
  search_text: searchText(j),
  respool_id: j.respoolId,
  instance_count: j.instanceCount,
  priority: j.priority,
  max_unavailable: j.maxUnavailable,
  state: j.state,
  goal_state: j.goalState,
  config_version: j.configVersion,
  desired_state_version: j.desiredStateVersion,
  workflow_version: j.workflowVersion,
  revision: j.revision,
  created_at: j.createdAt,
  updated_at: j.updatedAt,
  completed_at: j.completedAt,
  changed_revision: revision,
});

/** Stores new jobs with their first configuration and their secrets. */
export async function insertJobs(
  tx: Transaction<Database>,
  jobs: readonly NewJobChange[],
  revision: number,
): Promise<void> {
  if (jobs.length === 0) return;
  await tx
    .insertInto("jobs")
    .values(jobs.map((n) => jobRow(n.job, revision)))
    .execute();
  await insertConfigs(
    tx,
    jobs.map((n) => n.config),
  );
  const secrets = jobs.flatMap((n) => n.secrets);
  if (secrets.length > 0) {
    await tx
      .insertInto("secrets")
      .values(
        secrets.map((s) => ({
          id: s.id,
          job_id: s.jobId,
          path: s.path,
          value: s.value,
          created_at: jobs.find((n) => n.job.id === s.jobId)!.job.createdAt,
        })),
      )
      .execute();
  }
}

export async function insertConfigs(tx: Transaction<Database>, configs: readonly JobConfigRecord[]) {
  if (configs.length === 0) return;
  await tx
    .insertInto("job_configs")
    .values(
      configs.map((c) => ({
        job_id: c.jobId,
        version: c.version,
        spec: JSON.stringify(c.spec),
        templates: JSON.stringify(c.templates),
        created_at: c.createdAt,
      })),
    )
    .execute();
}

const JOB_COLUMNS: readonly UnnestColumn[] = [
  ["id", "text"],
  ["name", "text"],
  ["owner", "text"],
  ["owning_team", "text"],
  ["description", "text"],
  ["labels", "jsonb"],
  ["search_text", "text"],
  ["respool_id", "text"],
  ["instance_count", "int4"],
  ["priority", "int4"],
  ["max_unavailable", "int4"],
  ["state", "text"],
  ["goal_state", "text"],
  ["config_version", "int4"],
  ["desired_state_version", "int4"],
  ["workflow_version", "int4"],
  ["revision", "int4"],
  ["updated_at", "int8"],
  ["completed_at", "int8"],
];

const SET_JOB = sql.raw(
  JOB_COLUMNS.slice(1)
    .map(([c]) => `${c} = v.${c}`)
    .join(", "),
);
const JOB_ALIAS = sql.raw(JOB_COLUMNS.map(([c]) => c).join(", "));

/** Writes changed job rows, every one in one statement. */
export async function updateJobs(
  tx: Transaction<Database>,
  jobs: readonly JobRecord[],
  revision: number,
): Promise<void> {
  if (jobs.length === 0) return;
  const rows = jobs.map((j) => {
    const r = jobRow(j, revision);
    return JOB_COLUMNS.map(([c]) => r[c as keyof typeof r]);
  });
  await sql`UPDATE jobs AS j SET ${SET_JOB}, changed_revision = ${revision}::int8
    FROM unnest(${unnestArrays(JOB_COLUMNS, rows)}) AS v(${JOB_ALIAS}) WHERE j.id = v.id`.execute(tx);
}

/** Removes jobs with everything they own. */
export async function deleteJobs(tx: Transaction<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  // Pods, configs, workflows (and their events) and secrets go with the job row (ON DELETE CASCADE).
  await tx
    .deleteFrom("pod_events")
    .where("job_id", "in", [...ids])
    .execute();
  await tx
    .deleteFrom("volumes")
    .where("job_id", "in", [...ids])
    .execute();
  await tx
    .deleteFrom("jobs")
    .where("id", "in", [...ids])
    .execute();
}
