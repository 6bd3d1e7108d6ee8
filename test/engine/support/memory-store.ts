import type { ChangeSet, PodEventRecord } from "../../../src/domain/change-set.js";
import type { HostRecord } from "../../../src/domain/host.js";
import type { JobRecord } from "../../../src/domain/job.js";
import type { JobTemplates, PodRuntime } from "../../../src/domain/pod.js";
import type { ResourcePool } from "../../../src/domain/respool.js";
import type { RuntimeSnapshot } from "../../../src/domain/runtime-snapshot.js";
import type { VolumeRecord } from "../../../src/domain/volume.js";
import type { WorkflowEventRecord, WorkflowRecord } from "../../../src/domain/workflow.js";
import type { EngineStore } from "../../../src/engine/ports.js";

const ROOT: ResourcePool = {
  id: "root",
  parentId: null,
  path: "/",
  config: {
    name: "root",
    owningTeam: "",
    ldapGroups: [],
    description: "",
    resources: [],
    policy: "PRIORITY_FIFO",
    controllerLimitPercent: undefined,
    slackLimitPercent: undefined,
  },
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
};

/**
 * The engine's store in memory: commits apply change sets to plain maps, in revision order (a
 * commit of any other revision is refused as RevisionConflict). `failNext` makes the next
 * commits throw, as a database that does not answer would; `hold` makes them wait.
 */
export class MemoryStore implements EngineStore {
  revision = 0;
  readonly jobs = new Map<string, JobRecord>();
  readonly templates = new Map<string, Map<number, JobTemplates>>();
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly pods = new Map<string, PodRuntime>();
  readonly pools = new Map<string, ResourcePool>([["root", ROOT]]);
  readonly hosts = new Map<string, HostRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly podEvents: PodEventRecord[] = [];
  readonly workflowEvents: WorkflowEventRecord[] = [];
  /** Every committed change set with its revision, in order. */
  readonly commits: { revision: number; changes: ChangeSet }[] = [];
  /** Commits to refuse before taking one again. */
  failNext = 0;
  /** Another server took the lease: every commit is refused as Fenced. */
  fenced = false;
  attempts = 0;
  #held: { readonly gate: Promise<void>; readonly arrived: () => void } | undefined;

  /**
   * Holds commits, as a slow database would, until `release` is called; `reached` resolves
   * once a commit waits.
   */
  hold(): { reached: Promise<void>; release: () => void } {
    let open = () => {};
    let arrived = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    this.#held = { gate, arrived };
    return {
      reached,
      release: () => {
        this.#held = undefined;
        open();
      },
    };
  }

  async commit(changes: ChangeSet, revision: number): Promise<void> {
    this.attempts++;
    const held = this.#held;
    if (held) {
      held.arrived();
      await held.gate;
    }
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("database unavailable");
    }
    if (this.fenced) {
      const e = new Error("commit refused: the lease was taken over");
      e.name = "Fenced";
      throw e;
    }
    if (revision !== this.revision + 1) {
      const e = new Error(`store at ${this.revision}, commit of ${revision}`);
      e.name = "RevisionConflict";
      throw e;
    }
    this.revision = revision;
    this.commits.push({ revision, changes });
    for (const p of changes.pools) this.pools.set(p.id, p);
    for (const n of changes.newJobs) {
      this.jobs.set(n.job.id, n.job);
      this.templates.set(n.job.id, new Map([[n.config.version, n.config.templates]]));
    }
    for (const j of changes.jobs) this.jobs.set(j.id, j);
    for (const c of changes.configs) this.templates.get(c.jobId)?.set(c.version, c.templates);
    for (const p of changes.pods) this.pods.set(`${p.jobId}:${p.instance}`, p);
    this.podEvents.push(...changes.podEvents);
    for (const d of changes.deletePodEvents) {
      for (let i = this.podEvents.length - 1; i >= 0; i--) {
        const e = this.podEvents[i]!;
        if (e.jobId === d.jobId && e.instance === d.instance && (d.runId === null || e.runId === d.runId))
          this.podEvents.splice(i, 1);
      }
    }
    for (const v of changes.volumes) this.volumes.set(v.id, v);
    for (const w of changes.workflows) {
      const latest = this.workflows.get(w.jobId);
      if (!latest || latest.id === w.id || w.createdAt >= latest.createdAt) this.workflows.set(w.jobId, w);
    }
    this.workflowEvents.push(...changes.workflowEvents);
    for (const h of changes.hosts) this.hosts.set(h.hostname, h);
    for (const id of changes.deleteJobs) {
      this.jobs.delete(id);
      this.templates.delete(id);
      this.workflows.delete(id);
      for (const key of [...this.pods.keys()]) if (key.startsWith(`${id}:`)) this.pods.delete(key);
      for (const [vid, v] of this.volumes) if (v.jobId === id) this.volumes.delete(vid);
    }
    for (const id of changes.deletePools) this.pools.delete(id);
  }

  async load(): Promise<RuntimeSnapshot> {
    return {
      revision: this.revision,
      jobs: [...this.jobs.values()].map((job) => ({
        job,
        templates: new Map(this.templates.get(job.id)),
        workflow: this.workflows.get(job.id),
      })),
      pools: [...this.pools.values()],
      hosts: [...this.hosts.values()],
      volumes: [...this.volumes.values()].filter((v) => v.state !== "DELETED"),
    };
  }

  async *loadPods(): AsyncGenerator<PodRuntime[]> {
    yield [...this.pods.values()];
  }

  async loadPod(jobId: string, instance: number): Promise<PodRuntime | undefined> {
    return this.pods.get(`${jobId}:${instance}`);
  }

  async loadJob(id: string) {
    const job = this.jobs.get(id);
    return job && { job, templates: new Map(this.templates.get(id)) };
  }

  pod(jobId: string, instance: number): PodRuntime | undefined {
    return this.pods.get(`${jobId}:${instance}`);
  }
}
