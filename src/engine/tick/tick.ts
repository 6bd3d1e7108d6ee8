import type { ChangeSet, NewJobChange, PodEventRecord, PodEventsDeletion } from "../../domain/change-set.js";
import type { HostRecord } from "../../domain/host.js";
import type { JobConfigRecord, JobRecord } from "../../domain/job.js";
import type { PodRuntime } from "../../domain/pod.js";
import type { ResourcePool } from "../../domain/respool.js";
import { isActiveWorkflow, type WorkflowEventRecord, type WorkflowRecord } from "../../domain/workflow.js";
import type { JobEntry, RuntimeCache } from "../cache/runtime-cache.js";
import { StagedVolumes } from "../cache/volume-cache.js";
import { jobKey, type KeyString, podKey, workflowKey } from "../loop/entity-key.js";
import type { LaunchRequest } from "../ports.js";
import { podEventOf } from "./pod-event.js";

/** A kill to send once the tick is committed. */
export interface KillRequest {
  readonly podId: string;
  readonly gracePeriodMs: number;
}

/**
 * One tick's work: what it stages (its reads see the staged changes over the committed cache),
 * and what to do once the commit is in: fleet launches and kills, keys to look at again,
 * commands to answer. Nothing here reaches the cache or the fleet before the commit.
 */
export class Tick {
  readonly pods = new Map<KeyString, PodRuntime>();
  readonly jobs = new Map<string, JobRecord>();
  readonly newJobs = new Map<string, NewJobChange>();
  readonly configs: JobConfigRecord[] = [];
  readonly podEvents: PodEventRecord[] = [];
  readonly deletePodEvents: PodEventsDeletion[] = [];
  /** Workflows by id. */
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly workflowEvents: WorkflowEventRecord[] = [];
  /** The newest workflow staged for each job. */
  readonly #latestWorkflow = new Map<string, WorkflowRecord>();
  readonly deleteJobs = new Set<string>();
  /** Volumes created or changed, by id. */
  readonly volumes = new StagedVolumes();
  readonly hosts = new Map<string, HostRecord>();
  readonly pools = new Map<string, ResourcePool>();
  readonly deletePools = new Set<string>();

  readonly launches: LaunchRequest[] = [];
  readonly kills: KillRequest[] = [];
  /** Hosts to take out of service, and to bring back, once committed. */
  readonly takeDown = new Set<string>();
  readonly bringUp = new Set<string>();
  /** Keys to look at again once committed, and when. */
  readonly rechecks: [KeyString, number][] = [];
  /** Work to do once committed (reloads after a refresh). */
  readonly afterCommit: (() => Promise<void>)[] = [];
  readonly done: (() => void)[] = [];
  readonly failed: ((e: unknown) => void)[] = [];
  /** Keys the commands asked to look at now (their direct consequences). */
  readonly lookedAt: KeyString[] = [];
  /** Keys whose work this tick took, looked at again if the tick fails. */
  readonly touched = new Set<KeyString>();
  /** A pod became PENDING: offer it to the scheduler in this tick. */
  scheduleAgain = false;
  /** The draining hosts changed: run the drain round even if no pod changed. */
  reviewDrains = false;
  /** Pod rows created this tick, over all jobs (bounded by `podsCreatedPerTick`). */
  created = 0;
  /** Pods the scheduling round placed this tick. */
  placed = 0;

  constructor(
    readonly now: number,
    readonly cache: RuntimeCache,
    /** Puts a key in the engine's queue now (it is due in the next tick). */
    private readonly enqueue: (key: KeyString, at: number) => void,
  ) {}

  // ---- reads, as this tick sees them ------------------------------------------------------

  entry(jobId: string): JobEntry | undefined {
    return this.cache.jobs.get(jobId);
  }

  job(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId) ?? this.newJobs.get(jobId)?.job ?? this.cache.jobs.get(jobId)?.job;
  }

  pod(jobId: string, instance: number): PodRuntime | undefined {
    return this.pods.get(podKey(jobId, instance)) ?? this.cache.jobs.get(jobId)?.pods[instance];
  }

  /** A job's pods by instance id. */
  podsOf(entry: JobEntry): (PodRuntime | undefined)[] {
    const id = entry.job.id;
    // Hot: every decision that looks at a job reads all its pods (a plain map, not a generator).
    return entry.pods.map((p, i) => (p ? (this.pods.get(podKey(id, i)) ?? p) : this.pods.get(podKey(id, i))));
  }

  /** A job's latest workflow (a newer one staged in this tick wins over the committed one). */
  workflow(jobId: string): WorkflowRecord | undefined {
    return this.#latestWorkflow.get(jobId) ?? this.cache.jobs.get(jobId)?.workflow;
  }

  host(hostname: string): HostRecord | undefined {
    return this.hosts.get(hostname) ?? this.cache.hosts.get(hostname);
  }

  pool(id: string): ResourcePool | undefined {
    if (this.deletePools.has(id)) return undefined;
    return this.pools.get(id) ?? this.cache.pools.get(id);
  }

  /** Every pool, as this tick sees them. */
  allPools(): Map<string, ResourcePool> {
    const out = new Map(this.cache.pools);
    for (const [id, p] of this.pools) out.set(id, p);
    for (const id of this.deletePools) out.delete(id);
    return out;
  }

  // ---- staging ----------------------------------------------------------------------------

  stagePod(p: PodRuntime, event: boolean): void {
    const key = podKey(p.jobId, p.instance);
    this.pods.set(key, p);
    this.touched.add(key);
    if (p.state === "PENDING") this.scheduleAgain = true;
    // Whatever a pod does can change its job's state and its workflow's progress.
    this.enqueue(jobKey(p.jobId), this.now);
    const wf = this.cache.jobs.get(p.jobId)?.workflow;
    if (wf && isActiveWorkflow(wf.state)) this.enqueue(workflowKey(p.jobId), this.now);
    if (event) this.podEvents.push(podEventOf(p));
  }

  stageJob(j: JobRecord): void {
    const fresh = this.newJobs.get(j.id);
    if (fresh) this.newJobs.set(j.id, { ...fresh, job: j });
    else this.jobs.set(j.id, j);
    this.touched.add(jobKey(j.id));
  }

  stageNewJob(n: NewJobChange): void {
    this.newJobs.set(n.job.id, n);
  }

  /** Stages a workflow's new record, and its own event when there is one (its state changed). */
  stageWorkflow(w: WorkflowRecord, event?: WorkflowEventRecord): void {
    this.workflows.set(w.id, w);
    const latest = this.#latestWorkflow.get(w.jobId);
    if (!latest || latest.id === w.id || w.createdAt >= latest.createdAt)
      this.#latestWorkflow.set(w.jobId, w);
    this.touched.add(workflowKey(w.jobId));
    if (event) this.workflowEvents.push(event);
  }

  /** Events of a workflow's instances. */
  stageWorkflowEvents(events: readonly WorkflowEventRecord[]): void {
    for (const e of events) this.workflowEvents.push(e);
  }

  stageHost(h: HostRecord): void {
    this.hosts.set(h.hostname, h);
  }

  stagePool(p: ResourcePool): void {
    this.pools.set(p.id, p);
  }

  deletePool(id: string): void {
    this.pools.delete(id);
    this.deletePools.add(id);
  }

  deleteJob(id: string): void {
    this.deleteJobs.add(id);
    this.touched.add(jobKey(id));
  }

  /** Looks at `key` in this tick, after the commands (an entity the cache already has). */
  lookNow(key: KeyString): void {
    this.lookedAt.push(key);
    this.enqueue(key, this.now);
  }

  /** Looks at `key` again once the tick is committed. */
  recheck(key: KeyString, at: number): void {
    this.rechecks.push([key, at]);
  }

  /** What the tick writes: one change set, without anything of the jobs it deletes. */
  changeSet(): ChangeSet {
    const gone = this.deleteJobs;
    const keep = <T extends { jobId: string }>(xs: Iterable<T>): T[] =>
      [...xs].filter((x) => !gone.has(x.jobId));
    return {
      newJobs: [...this.newJobs.values()],
      jobs: [...this.jobs.values()].filter((j) => !gone.has(j.id)),
      configs: keep(this.configs),
      pods: keep(this.pods.values()),
      podEvents: keep(this.podEvents),
      deletePodEvents: keep(this.deletePodEvents),
      workflows: keep(this.workflows.values()),
      workflowEvents: keep(this.workflowEvents),
      // Deletions first: an instance's new volume may only be written once its old one is DELETED.
      volumes: keep(this.volumes.values()).sort(
        (a, b) => Number(b.state === "DELETED") - Number(a.state === "DELETED"),
      ),
      hosts: [...this.hosts.values()],
      pools: [...this.pools.values()],
      deletePools: [...this.deletePools],
      deleteJobs: [...gone],
    };
  }
}
