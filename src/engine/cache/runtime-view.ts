import type { HostRecord } from "../../domain/host.js";
import type { JobRecord } from "../../domain/job.js";
import { isOnHost, type PodRuntime, type PodTemplate } from "../../domain/pod.js";
import { add, type Resources, ZERO } from "../../domain/resources.js";
import type { VolumeRecord } from "../../domain/volume.js";
import type { WorkflowRecord } from "../../domain/workflow.js";
import type { HostView, RuntimeView } from "../api.js";
import type { EngineFleet } from "../ports.js";
import type { RuntimeCache } from "./runtime-cache.js";
import { NO_STAGED } from "./volume-cache.js";

/** Reads of what is committed, from the engine's cache. */
export class CacheView implements RuntimeView {
  constructor(
    private readonly cache: RuntimeCache,
    private readonly fleet: Pick<EngineFleet, "hosts">,
  ) {}

  job(jobId: string): JobRecord | undefined {
    return this.cache.jobs.get(jobId)?.job;
  }

  pods(jobId: string): readonly PodRuntime[] {
    return (this.cache.jobs.get(jobId)?.pods ?? []).filter((p): p is PodRuntime => p !== undefined);
  }

  pod(jobId: string, instance: number): PodRuntime | undefined {
    return this.cache.jobs.get(jobId)?.pods[instance];
  }

  workflow(jobId: string): WorkflowRecord | undefined {
    return this.cache.jobs.get(jobId)?.workflow;
  }

  podCounts(jobId: string) {
    const entry = this.cache.jobs.get(jobId);
    return entry && { byState: entry.counts.byState(), byVersion: entry.counts.byVersion() };
  }

  templateFor(pod: PodRuntime): PodTemplate | undefined {
    const entry = this.cache.jobs.get(pod.jobId);
    return entry && this.cache.template(entry, pod);
  }

  volume(jobId: string, instance: number): VolumeRecord | undefined {
    return this.cache.volumes.current(NO_STAGED, jobId, instance);
  }

  hosts(): readonly HostView[] {
    return [...this.cache.hosts.values()]
      .map((h) => ({ hostname: h.hostname, ip: h.ip, state: h.state }))
      .sort((a, b) => a.hostname.localeCompare(b.hostname));
  }

  host(hostname: string): HostRecord | undefined {
    return this.cache.hosts.get(hostname);
  }

  allocationByPool(): Map<string, { allocation: Resources; slack: Resources }> {
    const out = new Map<string, { allocation: Resources; slack: Resources }>();
    for (const entry of this.cache.jobs.values()) {
      for (const p of entry.pods) {
        if (!p || !isOnHost(p.state)) continue;
        const t = this.cache.template(entry, p);
        const use = out.get(entry.job.respoolId) ?? { allocation: ZERO, slack: ZERO };
        const slackCpu = t.revocable ? t.resources.cpu : 0;
        out.set(entry.job.respoolId, {
          allocation: add(use.allocation, { ...t.resources, cpu: t.resources.cpu - slackCpu }),
          slack: add(use.slack, { ...ZERO, cpu: slackCpu }),
        });
      }
    }
    return out;
  }

  capacity(): Resources {
    let sum = ZERO;
    for (const h of this.fleet.hosts())
      if (h.state === "UP" && (this.cache.hosts.get(h.spec.hostname)?.state ?? "UP") === "UP")
        sum = add(sum, h.spec.capacity);
    return sum;
  }
}
