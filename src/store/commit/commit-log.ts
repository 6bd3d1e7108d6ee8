import type { ChangeSet } from "../../domain/change-set.js";
import { type InstanceRanges, rangesOf } from "../../domain/instance-ranges.js";

/**
 * What one commit changed, by key: the row `commit_log` keeps per revision. Pods are instance
 * ranges per job, so a commit of 100,000 pod changes is a few ranges, not 100,000 keys. With it
 * a reader that knows revision R finds what changed after R, and reads those rows (which carry
 * the revision that last changed them); deletions are named here, since their rows are gone.
 */
export interface CommitKeys {
  readonly jobs?: readonly string[];
  readonly deletedJobs?: readonly string[];
  readonly pods?: Readonly<Record<string, InstanceRanges>>;
  readonly workflows?: readonly string[];
  readonly volumes?: readonly string[];
  readonly hosts?: readonly string[];
  readonly pools?: readonly string[];
  readonly deletedPools?: readonly string[];
}

const some = <T>(xs: readonly T[]): readonly T[] | undefined => (xs.length > 0 ? xs : undefined);

export function commitKeys(c: ChangeSet): CommitKeys {
  const instances = new Map<string, number[]>();
  for (const p of c.pods) {
    const list = instances.get(p.jobId);
    if (list) list.push(p.instance);
    else instances.set(p.jobId, [p.instance]);
  }
  const pods: Record<string, InstanceRanges> = {};
  for (const [job, ids] of instances) pods[job] = rangesOf(ids);
  const keys: CommitKeys = {
    jobs: some([...new Set([...c.newJobs.map((n) => n.job.id), ...c.jobs.map((j) => j.id)])]),
    deletedJobs: some(c.deleteJobs),
    pods: instances.size > 0 ? pods : undefined,
    workflows: some(c.workflows.map((w) => w.id)),
    volumes: some(c.volumes.map((v) => v.id)),
    hosts: some(c.hosts.map((h) => h.hostname)),
    pools: some(c.pools.map((p) => p.id)),
    deletedPools: some(c.deletePools),
  };
  return keys;
}
