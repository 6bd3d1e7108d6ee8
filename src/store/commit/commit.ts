import { type Kysely, sql } from "kysely";
import { type ChangeSet, isEmptyChangeSet } from "../../domain/change-set.js";
import { yieldToEventLoop } from "../../lib/yield-to-event-loop.js";
import type { Database } from "../schema.js";
import { commitKeys } from "./commit-log.js";
import { upsertHosts } from "./write-hosts.js";
import { deleteJobs, insertConfigs, insertJobs, updateJobs } from "./write-jobs.js";
import { deletePodEvents, insertPodEvents, upsertPods } from "./write-pods.js";
import { deletePools, upsertPools } from "./write-pools.js";
import { upsertVolumes } from "./write-volumes.js";
import { insertWorkflowEvents, upsertWorkflows } from "./write-workflows.js";

/** Rows per statement: one array parameter per column, so this only bounds statement size. */
const CHUNK = 10_000;

const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

/**
 * The stored revision is not the one before this commit's: another writer committed since this
 * one last read or committed (or a commit whose answer was lost did in fact commit). Nothing was
 * written; the writer must reload what is stored before it commits again.
 */
export class RevisionConflict extends Error {
  override readonly name = "RevisionConflict";
  constructor(
    readonly expected: number,
    readonly stored: number | undefined,
  ) {
    super(
      `commit of revision ${expected + 1} refused: the store is at revision ${stored ?? "unknown"}, not ${expected}`,
    );
  }
}

/**
 * The store's epoch is not this writer's: another server took the leader lease since this one
 * did. Nothing was written; this writer must not commit again.
 */
export class Fenced extends Error {
  override readonly name = "Fenced";
  constructor(
    readonly epoch: number,
    readonly stored: number | undefined,
  ) {
    super(
      `commit refused: this server's lease (epoch ${epoch}) has been taken over (epoch ${stored ?? "unknown"})`,
    );
  }
}

/** The revision of the last commit. */
export async function storedRevision(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("engine_revision")
    .select("revision")
    .where("id", "=", 1)
    .executeTakeFirst();
  return row ? Number(row.revision) : 0;
}

/**
 * The one write path: writes a change set in one transaction as revision `revision`, which must
 * follow the stored one (RevisionConflict otherwise, and nothing is written) and, given an `epoch`,
 * be written by the holder of the leader lease of that epoch (Fenced otherwise). Every changed job
 * and pod row records the revision; `commit_log` records what the commit changed. Pods and pod
 * events go as multi-row statements in chunks, pipelined: while the database runs one chunk's
 * statement, the next chunk is encoded. A failure anywhere rolls the whole commit back.
 */
export async function commitChanges(
  db: Kysely<Database>,
  changes: ChangeSet,
  revision: number,
  at: number,
  epoch?: number,
): Promise<void> {
  if (isEmptyChangeSet(changes)) throw new Error("an empty change set is not a commit");
  const encoders = [
    ...chunks(changes.pods).map((rows) => () => upsertPods(rows, revision)),
    ...chunks(changes.podEvents).map((rows) => () => insertPodEvents(rows)),
  ];
  await db.transaction().execute(async (tx) => {
    let move = tx
      .updateTable("engine_revision")
      .set({ revision })
      .where("id", "=", 1)
      .where("revision", "=", revision - 1);
    // Fencing: a server whose leader lease was taken over holds an older epoch.
    if (epoch !== undefined) move = move.where("epoch", "=", epoch);
    const moved = await move.executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      const row = await tx.selectFrom("engine_revision").select(["revision", "epoch"]).executeTakeFirst();
      if (epoch !== undefined && Number(row?.epoch) !== epoch)
        throw new Fenced(epoch, row && Number(row.epoch));
      throw new RevisionConflict(revision - 1, row ? Number(row.revision) : undefined);
    }
    await tx
      .insertInto("commit_log")
      .values({ revision, committed_at: at, changes: JSON.stringify(commitKeys(changes)) })
      .execute();
    // unnest() materialises a chunk's rows before the insert reads them: room for that in
    // memory (this transaction only) instead of a temporary file.
    if (encoders.length > 0) await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
    await upsertPools(tx, changes.pools);
    await insertJobs(tx, changes.newJobs, revision);
    await updateJobs(tx, changes.jobs, revision);
    await insertConfigs(tx, changes.configs);
    let running: Promise<unknown> | undefined;
    try {
      for (const encode of encoders) {
        const statement = encode();
        if (running) await running;
        running = statement?.execute(tx);
        // Its failure is seen when it is awaited; marked handled so that it cannot surface as
        // an unhandled rejection while the next chunk is encoded.
        running?.catch(() => {});
        // Let the driver send it before the next chunk's encoding takes the thread.
        if (running) await yieldToEventLoop();
      }
      await running;
    } catch (e) {
      // Settle the statement in flight before the transaction rolls back.
      await running?.catch(() => {});
      throw e;
    }
    await deletePodEvents(tx, changes.deletePodEvents);
    for (const rows of chunks(changes.volumes)) await upsertVolumes(tx, rows);
    await upsertWorkflows(tx, changes.workflows);
    await insertWorkflowEvents(tx, changes.workflowEvents);
    await upsertHosts(tx, changes.hosts);
    await deleteJobs(tx, changes.deleteJobs);
    await deletePools(tx, changes.deletePools);
  });
}
