import { afterAll, describe, expect, it } from "vitest";
import type { CommittedChanges } from "../../src/domain/committed-changes.js";
import { instancesIn } from "../../src/domain/instance-ranges.js";
import { ManualClock } from "../../src/lib/clock.js";
import type { CommitKeys } from "../../src/store/commit/commit-log.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import { settle } from "../support/settle.js";

/** The commit log as stored: what each revision changed. */
async function commitLog(s: TestServer): Promise<{ revision: number; keys: CommitKeys }[]> {
  const rows = await s.app.database.db
    .selectFrom("commit_log")
    .select(["revision", "changes"])
    .orderBy("revision")
    .execute();
  return rows.map((r) => ({ revision: Number(r.revision), keys: r.changes as CommitKeys }));
}

/** The pod and job keys a published commit names, in the commit log's terms. */
function keysOf(c: CommittedChanges): { jobs: string[]; pods: string[]; deleted: string[] } {
  const jobs: string[] = [];
  const pods: string[] = [];
  const deleted: string[] = [];
  for (const ch of c.changes) {
    if (ch.kind === "job" && ch.op === "upsert") jobs.push(ch.job.id);
    if (ch.kind === "job" && ch.op === "delete") deleted.push(ch.jobId);
    if (ch.kind === "pod" && ch.op === "upsert") pods.push(`${ch.pod.jobId}:${ch.pod.instance}`);
  }
  return { jobs: jobs.sort(), pods: pods.sort(), deleted: deleted.sort() };
}

function logKeys(k: CommitKeys): { pods: string[]; deleted: string[] } {
  const pods: string[] = [];
  for (const [job, ranges] of Object.entries(k.pods ?? {}))
    for (const i of instancesIn(ranges)) pods.push(`${job}:${i}`);
  return { pods: pods.sort(), deleted: [...(k.deletedJobs ?? [])].sort() };
}

describe.each(serverBackends())("the change feed on $name", (backend) => {
  let db: ServerDatabase | undefined;
  afterAll(async () => {
    await db?.dispose();
  });

  it("publishes every commit once, in revision order, and revisions keep increasing across a restart", async () => {
    db = await backend.create();
    const clock = new ManualClock();
    const first = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database: db.target, clock });
    const published: CommittedChanges[] = [];
    const unsubscribe = first.app.engine.subscribe((c) => published.push(c));
    const startRevision = first.app.engine.revision();
    const pool = await createPool(first, "p", 8, 4096);
    const job = await createSleepJob(first, pool, 4);
    const other = await createSleepJob(first, pool, 2);
    await settle(first, async () => {
      const { pods } = await first.job.queryPods({ jobId: { value: job }, spec: { podStates: [8] } });
      return pods.length === 4;
    });
    await first.job.deleteJob({ jobId: { value: other }, force: true });
    await settle(
      first,
      async () => (await first.job.getJob({ jobId: { value: other } }).catch(() => null)) === null,
    );
    unsubscribe();

    // Every revision after the start, each once, consecutive and in order.
    const revisions = published.map((c) => c.revision);
    expect(revisions.length).toBeGreaterThan(3);
    expect(revisions).toEqual(revisions.map((_, i) => startRevision + 1 + i));
    const log = (await commitLog(first)).filter((r) => r.revision > startRevision);
    expect(log.map((r) => r.revision)).toEqual(revisions);
    // Each published commit names exactly the pods (and deleted jobs) its commit log row names.
    for (const [i, c] of published.entries()) {
      const mine = keysOf(c);
      const stored = logKeys(log[i]!.keys);
      expect(mine.pods).toEqual(stored.pods);
      expect(mine.deleted).toEqual(stored.deleted);
      // A job whose pods changed is published too, with its pods' counts after the commit.
      for (const p of mine.pods) expect(mine.jobs.concat(mine.deleted)).toContain(p.split(":")[0]);
    }
    // Rows carry the revision that last changed them.
    const rows = await first.app.database.db
      .selectFrom("pods")
      .select(["job_id", "instance_id", "changed_revision"])
      .where("job_id", "=", job)
      .execute();
    for (const r of rows) {
      const last = [...published]
        .reverse()
        .find((c) =>
          c.changes.some(
            (ch) =>
              ch.kind === "pod" &&
              ch.op === "upsert" &&
              ch.pod.jobId === job &&
              ch.pod.instance === r.instance_id,
          ),
        );
      expect(Number(r.changed_revision)).toBe(last?.revision);
    }
    const before = first.app.engine.revision();
    await first.stop();

    const second = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database: db.target, clock });
    try {
      expect(second.app.engine.revision()).toBeGreaterThanOrEqual(before);
      const later: CommittedChanges[] = [];
      second.app.engine.subscribe((c) => later.push(c));
      await second.job.stopJob({ jobId: { value: job } });
      await settle(second, () => later.length > 0);
      expect(later[0]!.revision).toBeGreaterThan(before);
      expect(later.map((c) => c.revision)).toEqual(later.map((_, i) => later[0]!.revision + i));
    } finally {
      await second.stop();
    }
  });
});
