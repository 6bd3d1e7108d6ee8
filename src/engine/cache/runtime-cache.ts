import type { ChangeSet } from "../../domain/change-set.js";
import type { HostRecord } from "../../domain/host.js";
import type { JobRecord } from "../../domain/job.js";
import {
  isOnHost,
  type JobTemplates,
  type PodRuntime,
  type PodTemplate,
  templateOf,
} from "../../domain/pod.js";
import type { ResourcePool } from "../../domain/respool.js";
import type { RuntimeSnapshot } from "../../domain/runtime-snapshot.js";
import type { WorkflowRecord } from "../../domain/workflow.js";
import { type KeyString, podKey } from "../loop/entity-key.js";
import { PendingPods } from "./pending-pods.js";
import { PodCounts } from "./pod-counts.js";
import { RunsOnHosts } from "./runs-on-hosts.js";
import { VolumeCache } from "./volume-cache.js";

/** A job in the engine's cache: its runtime, its templates by config version, its pods. */
export interface JobEntry {
  job: JobRecord;
  readonly templates: Map<number, JobTemplates>;
  /** Pods by instance id. */
  readonly pods: (PodRuntime | undefined)[];
  /** Its latest workflow (the one under way, or the last one that ended). */
  workflow: WorkflowRecord | undefined;
  readonly counts: PodCounts;
}

/** What applying a commit changed that the engine reacts to. */
export interface Applied {
  /** A run left a host (or a job went): a draining host may be empty now. */
  readonly runsLeftHosts: boolean;
  /** Keys of the pods that went with their jobs. */
  readonly goneKeys: readonly KeyString[];
}

/** Host states in which a host moves on by itself as its pods go. */
const MOVING = new Set(["DRAINING", "DRAINED"]);

/**
 * Everything the engine knows, exactly as committed: it changes only by `apply` (after a commit)
 * and `load` (at start, or to recover). Indexes are kept as it changes: pods waiting for
 * placement, runs per host, pod counts per job, hosts in maintenance.
 */
export class RuntimeCache {
  readonly jobs = new Map<string, JobEntry>();
  readonly volumes = new VolumeCache();
  readonly runs = new RunsOnHosts();
  readonly pending = new PendingPods();
  readonly hosts = new Map<string, HostRecord>();
  readonly pools = new Map<string, ResourcePool>();
  /** Hosts that move through maintenance as their pods go (DRAINING, DRAINED). */
  readonly movingHosts = new Set<string>();
  /** Hosts whose pods are being moved off (DRAINING). */
  readonly drainingHosts = new Set<string>();
  /** The revision of the last commit applied. */
  revision = 0;

  /** Replaces everything with a snapshot of the store (pods follow through `setPod`). */
  load(snapshot: RuntimeSnapshot): void {
    this.jobs.clear();
    this.hosts.clear();
    this.pools.clear();
    this.movingHosts.clear();
    this.drainingHosts.clear();
    this.runs.clear();
    this.pending.clear();
    this.volumes.clear();
    this.revision = snapshot.revision;
    for (const { job, templates, workflow } of snapshot.jobs) this.#addJob(job, templates, workflow);
    for (const h of snapshot.hosts) this.#setHost(h);
    for (const p of snapshot.pools) this.pools.set(p.id, p);
    this.volumes.load(snapshot.volumes);
  }

  /** Takes a committed change set. */
  apply(c: ChangeSet, revision: number): Applied {
    this.revision = revision;
    let left = c.deleteJobs.length > 0;
    for (const p of c.pools) this.pools.set(p.id, p);
    for (const n of c.newJobs)
      this.#addJob(n.job, new Map([[n.config.version, n.config.templates]]), undefined);
    for (const j of c.jobs) {
      const entry = this.jobs.get(j.id);
      if (entry) entry.job = j;
    }
    for (const config of c.configs)
      this.jobs.get(config.jobId)?.templates.set(config.version, config.templates);
    for (const w of c.workflows) {
      const entry = this.jobs.get(w.jobId);
      if (entry && (!entry.workflow || entry.workflow.id === w.id || w.createdAt >= entry.workflow.createdAt))
        entry.workflow = w;
    }
    for (const p of c.pods) {
      const entry = this.jobs.get(p.jobId);
      if (!entry) continue;
      const before = this.setPod(entry, p);
      // A run ended (the pod may be on another host already: restarted and placed in this tick).
      if (before?.host && isOnHost(before.state) && (!isOnHost(p.state) || p.runId !== before.runId))
        left = true;
    }
    this.volumes.apply(c.volumes);
    for (const h of c.hosts) this.#setHost(h);
    const goneKeys: KeyString[] = [];
    for (const id of c.deleteJobs) {
      const entry = this.jobs.get(id);
      if (!entry) continue;
      for (const p of entry.pods) {
        if (!p) continue;
        this.runs.move(p, undefined);
        const key = podKey(id, p.instance);
        this.pending.track(key, false);
        goneKeys.push(key);
      }
      this.jobs.delete(id);
      this.volumes.dropJob(id);
    }
    for (const id of c.deletePools) this.pools.delete(id);
    return { runsLeftHosts: left, goneKeys };
  }

  /** Pods of every job by state. */
  podsByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const entry of this.jobs.values())
      for (const [state, n] of Object.entries(entry.counts.byState())) out[state] = (out[state] ?? 0) + n;
    return out;
  }

  /** Puts a pod's runtime in the cache (as committed); answers the one it replaces. */
  setPod(entry: JobEntry, p: PodRuntime): PodRuntime | undefined {
    const before = entry.pods[p.instance];
    entry.pods[p.instance] = p;
    this.runs.move(before, p);
    entry.counts.move(before, p);
    this.pending.track(podKey(p.jobId, p.instance), p.state === "PENDING");
    return before;
  }

  /** What the pod's run runs: its config version's template (the job's current one if that is gone). */
  template(entry: JobEntry, pod: PodRuntime): PodTemplate {
    const templates = entry.templates.get(pod.configVersion) ?? entry.templates.get(entry.job.configVersion)!;
    return templateOf(templates, pod.instance);
  }

  /**
   * The template, or undefined when the pod's configuration has none (broken data): the rounds
   * leave such a pod out rather than fail for every pod, and its own decision fails alone.
   */
  templateIfAny(entry: JobEntry, pod: PodRuntime): PodTemplate | undefined {
    try {
      return this.template(entry, pod);
    } catch {
      return undefined;
    }
  }

  #addJob(job: JobRecord, templates: Map<number, JobTemplates>, workflow: WorkflowRecord | undefined): void {
    this.jobs.set(job.id, { job, templates, pods: [], workflow, counts: new PodCounts() });
  }

  #setHost(h: HostRecord): void {
    this.hosts.set(h.hostname, h);
    if (MOVING.has(h.state)) this.movingHosts.add(h.hostname);
    else this.movingHosts.delete(h.hostname);
    if (h.state === "DRAINING") this.drainingHosts.add(h.hostname);
    else this.drainingHosts.delete(h.hostname);
  }
}
