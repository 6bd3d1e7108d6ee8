import type { Kysely } from "kysely";
import { type ChangeSet, changeSet } from "../../src/domain/change-set.js";
import type { JobRecord } from "../../src/domain/job.js";
import type { PoolConfig, ResourcePool } from "../../src/domain/respool.js";
import { childPath } from "../../src/domain/respool.js";
import { commitChanges, storedRevision } from "../../src/store/commit/commit.js";
import type { Database } from "../../src/store/schema.js";

/** Commits `over` as the store's next revision; answers that revision. */
export async function commitNext(db: Kysely<Database>, over: Partial<ChangeSet>, at = 0): Promise<number> {
  const revision = (await storedRevision(db)) + 1;
  await commitChanges(db, changeSet(over), revision, at);
  return revision;
}

/** A pool record under `parent` (path built from the parent's path). */
export const poolRecord = (
  id: string,
  parent: Pick<ResourcePool, "id" | "path">,
  config: PoolConfig,
  now = 0,
): ResourcePool => ({
  id,
  parentId: parent.id,
  path: childPath(parent.path, config.name),
  config,
  revision: 1,
  createdAt: now,
  updatedAt: now,
});

export const ROOT = { id: "root", path: "/" } as const;

/** A job row as CreateJob writes it: INITIALIZED at 1-1-1. */
export const jobRecord = (id: string, over: Partial<JobRecord> = {}): JobRecord => ({
  id,
  name: "j",
  owner: "o",
  owningTeam: "",
  description: "",
  labels: [],
  respoolId: "p",
  instanceCount: 3,
  priority: 0,
  maxUnavailable: 0,
  state: "INITIALIZED",
  goalState: "RUNNING",
  configVersion: 1,
  desiredStateVersion: 1,
  workflowVersion: 1,
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
  completedAt: null,
  ...over,
});
