import type { ChangeSet } from "../../domain/change-set.js";
import type { Change, ChangeListener, CommittedChanges } from "../../domain/committed-changes.js";
import type { RuntimeCache } from "../cache/runtime-cache.js";
import { decodeKey, type KeyString } from "../loop/entity-key.js";

/**
 * The engine's change feed: after each commit is applied to the cache, what it changed goes to
 * every subscriber, in revision order, exactly once. Listeners are called synchronously and must
 * not block (the watch hub copies into its own bounded buffer); one that throws is logged and
 * does not stop the others.
 */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();

  constructor(private readonly onListenerError: (e: unknown) => void) {}

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** Publishes a commit (called after the cache took it); builds nothing without listeners. */
  publish(
    revision: number,
    at: number,
    set: ChangeSet,
    cache: RuntimeCache,
    gone: readonly KeyString[],
  ): void {
    if (this.#listeners.size === 0) return;
    const committed: CommittedChanges = { revision, at, changes: changesOf(set, cache, gone) };
    for (const l of this.#listeners) {
      try {
        l(committed);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}

/** What a committed change set changed, read from the cache that has just applied it. */
export function changesOf(set: ChangeSet, cache: RuntimeCache, gone: readonly KeyString[]): Change[] {
  const out: Change[] = [];
  const deleted = new Set(set.deleteJobs);
  const jobs = new Set<string>();
  for (const n of set.newJobs) jobs.add(n.job.id);
  for (const j of set.jobs) jobs.add(j.id);
  for (const p of set.pods) jobs.add(p.jobId);
  for (const w of set.workflows) jobs.add(w.jobId);
  for (const id of jobs) {
    const entry = cache.jobs.get(id);
    if (!entry || deleted.has(id)) continue;
    out.push({
      kind: "job",
      op: "upsert",
      job: entry.job,
      podsByState: entry.counts.byState(),
      podsByVersion: entry.counts.byVersion(),
      workflow: entry.workflow,
    });
  }
  for (const id of deleted) out.push({ kind: "job", op: "delete", jobId: id });
  for (const p of set.pods) if (!deleted.has(p.jobId)) out.push({ kind: "pod", op: "upsert", pod: p });
  for (const key of gone) {
    const k = decodeKey(key);
    if (k.kind === "pod") out.push({ kind: "pod", op: "delete", jobId: k.jobId, instance: k.instance });
  }
  for (const w of set.workflows)
    if (!deleted.has(w.jobId)) out.push({ kind: "workflow", op: "upsert", workflow: w });
  for (const v of set.volumes)
    if (!deleted.has(v.jobId)) out.push({ kind: "volume", op: "upsert", volume: v });
  for (const h of set.hosts) out.push({ kind: "host", op: "upsert", host: h });
  for (const p of set.pools) out.push({ kind: "pool", op: "upsert", pool: p });
  for (const id of set.deletePools) out.push({ kind: "pool", op: "delete", poolId: id });
  return out;
}
