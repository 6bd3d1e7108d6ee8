import type { HostSpec, HostState } from "../../domain/host.js";
import type { JobRecord } from "../../domain/job.js";
import type { Label } from "../../domain/labels.js";
import { type PodRuntime, type PodTemplate, podId } from "../../domain/pod.js";
import { add, type Resources, ZERO } from "../../domain/resources.js";
import type { PoolNode } from "../../domain/respool.js";
import type { VolumeRecord } from "../../domain/volume.js";
import { yieldToEventLoop } from "../../lib/yield-to-event-loop.js";
import type { HostSnapshot, PlacementPod } from "../../scheduler/placement/types.js";
import type { PoolPod } from "../../scheduler/pool-pod.js";
import type { EngineScheduler } from "../ports.js";

/** A pod as a scheduling round sees it: its runtime, its job and what it runs. */
export interface RoundPod {
  readonly job: JobRecord;
  readonly pod: PodRuntime;
  readonly template: PodTemplate;
}

export interface RoundInput {
  readonly now: number;
  /**
   * Pods waiting for placement, each with its enqueue sequence (FIFO within a priority) and its
   * persistent volume when it has one (the pod must go to that volume's host).
   */
  readonly pending: readonly PendingPod[];
  /** Pods holding resources on hosts. */
  readonly onHost: Iterable<RoundPod>;
  readonly hosts: readonly { readonly spec: HostSpec; readonly state: HostState }[];
  /** Volumes that are not DELETED: each holds its size of its host's disk. */
  readonly volumes?: Iterable<VolumeRecord>;
  /** The resource pool tree. */
  readonly pools?: readonly PoolNode[];
}

export type PendingPod = RoundPod & { readonly seq: number; readonly volume?: VolumeRecord | undefined };

const DISK_ONLY = (mb: number): Resources => ({ ...ZERO, disk: mb });

/**
 * What placement must find room for: the pod's resources, plus its volume's disk when the volume
 * is still to be created (an existing volume's disk is already held on its host).
 */
const placementResources = ({ template, volume }: PendingPod): Resources =>
  template.volume && !volume
    ? add(template.resources, DISK_ONLY(template.volume.sizeMb))
    : template.resources;

export interface RoundOutput {
  /** Pods placed: their runtime in state PLACED, with host and ports. */
  readonly placed: readonly PodRuntime[];
  /** Pods left waiting whose message (the reason) changed. */
  readonly waiting: readonly PodRuntime[];
  /** Pods on hosts to preempt, so that starved pools get their entitlement. */
  readonly preempt: readonly {
    readonly pod: PodRuntime;
    readonly template: PodTemplate;
    readonly reason: string;
  }[];
}

const poolPod = ({ job, pod, template }: RoundPod, seq = 0): PoolPod => ({
  id: podId(pod.jobId, pod.instance, pod.runId),
  poolId: job.respoolId,
  resources: template.resources,
  priority: job.priority,
  seq,
  controller: template.controller,
  preemptible: template.preemptible,
  revocable: template.revocable,
  startedAt: pod.startedAt ?? undefined,
});

/**
 * The PoolPod of each pod on a host, kept while its runtime object lives (runtimes are replaced,
 * never changed, when a pod changes). Every round reads every pod on a host: at a million pods,
 * building a fresh PoolPod (and its id string) for each of them every round was a tenth of the
 * run and much of its garbage.
 */
const placedMemo = new WeakMap<PodRuntime, { job: JobRecord; template: PodTemplate; pp: PoolPod }>();

const placedPoolPod = (p: RoundPod): PoolPod => {
  const hit = placedMemo.get(p.pod);
  if (hit && hit.job === p.job && hit.template === p.template) return hit.pp;
  const pp = poolPod(p);
  placedMemo.set(p.pod, { job: p.job, template: p.template, pp });
  return pp;
};

/** What the pods on one host hold, summed in place while a round reads them. */
interface HostUse {
  cpu: number;
  memory: number;
  disk: number;
  gpu: number;
  readonly ports: number[];
  readonly labels: Label[];
}

/** Pods on hosts tallied between two yields to the event loop. */
const ON_HOST_YIELD_EVERY = 20_000;

const withMessage = (pod: PodRuntime, message: string, now: number): PodRuntime | undefined =>
  pod.message === message ? undefined : { ...pod, message, updatedAt: now, revision: pod.revision + 1 };

/**
 * One round of scheduling: the pools admit pending pods (entitlement, PRIORITY_FIFO), placement
 * puts the admitted ones on hosts, and every pod left waiting gets the reason as its message.
 */
export async function schedulingRound(input: RoundInput, scheduler: EngineScheduler): Promise<RoundOutput> {
  const { now } = input;
  const placed: PoolPod[] = [];
  const placedRound: RoundPod[] = [];
  const hostUse = new Map<string, HostUse>();
  let seen = 0;
  for (const p of input.onHost) {
    if (++seen % ON_HOST_YIELD_EVERY === 0) await yieldToEventLoop();
    // Pods already on their way out still hold their host, but no longer count for their pool:
    // otherwise every round would pick more victims while the first ones are being killed.
    const leaving = p.pod.state === "KILLING" || p.pod.state === "PREEMPTING";
    if (!leaving) {
      placed.push(placedPoolPod(p));
      placedRound.push(p);
    }
    if (!p.pod.host) continue;
    let use = hostUse.get(p.pod.host);
    if (!use) {
      use = { cpu: 0, memory: 0, disk: 0, gpu: 0, ports: [], labels: [] };
      hostUse.set(p.pod.host, use);
    }
    const r = p.template.resources;
    use.cpu += r.cpu;
    use.memory += r.memory;
    use.disk += r.disk;
    use.gpu += r.gpu;
    for (const port in p.pod.ports) use.ports.push(p.pod.ports[port]!);
    for (const label of p.template.labels) use.labels.push(label);
  }
  for (const v of input.volumes ?? []) {
    let use = hostUse.get(v.hostname);
    if (!use) {
      use = { cpu: 0, memory: 0, disk: 0, gpu: 0, ports: [], labels: [] };
      hostUse.set(v.hostname, use);
    }
    use.disk += v.sizeMb;
  }
  const byId = new Map<string, PendingPod>();
  const pending = input.pending.map((p) => {
    const pp = poolPod(p, p.seq);
    byId.set(pp.id, p);
    return pp;
  });

  const capacity = input.hosts
    .filter((h) => h.state === "UP")
    .reduce((s, h) => add(s, h.spec.capacity), ZERO);
  const decision = await scheduler.pools({ capacity, placed, pending, pools: input.pools ?? [] });
  const waiting: PodRuntime[] = [];
  for (const w of decision.pending) {
    const changed = withMessage(byId.get(w.pod.id)!.pod, `waiting for admission: ${w.reason}`, now);
    if (changed) waiting.push(changed);
  }
  // Victims are rare: the pods on hosts by id only when there are some.
  const onHostById = new Map<string, RoundPod>();
  if (decision.preemptions.length > 0) {
    for (const [i, pp] of placed.entries()) onHostById.set(pp.id, placedRound[i]!);
  }
  const preempt = decision.preemptions.flatMap((v) => {
    const p = onHostById.get(v.podId);
    return p ? [{ pod: p.pod, template: p.template, reason: v.reason }] : [];
  });
  if (decision.admitted.length === 0) return { placed: [], waiting, preempt };

  const snapshots: HostSnapshot[] = input.hosts.map((h) => {
    const use = hostUse.get(h.spec.hostname);
    return {
      spec: h.spec,
      state: h.state,
      used: use ? { cpu: use.cpu, memory: use.memory, disk: use.disk, gpu: use.gpu } : ZERO,
      usedPorts: use?.ports ?? [],
      podLabels: use?.labels ?? [],
    };
  });
  const toPlace: PlacementPod[] = decision.admitted.map((a) => {
    const pending = byId.get(a.id)!;
    const t = pending.template;
    return {
      id: a.id,
      resources: placementResources(pending),
      staticPorts: t.ports.filter((port) => port.value > 0),
      dynamicPorts: t.ports.filter((port) => port.value === 0).length,
      labels: t.labels,
      constraint: t.constraint,
      desiredHost: t.desiredHost,
      requiredHost: pending.volume?.hostname,
    };
  });
  // Admission and placement are each long for a large round: let API calls in between.
  await yieldToEventLoop();
  const plan = await scheduler.place(snapshots, toPlace);
  const placedPods = plan.placements.map((placement): PodRuntime => {
    const { pod, template } = byId.get(placement.podId)!;
    const ports: Record<string, number> = {};
    let d = 0;
    for (const port of template.ports)
      ports[port.name] = port.value > 0 ? port.value : placement.dynamicPorts[d++]!;
    return {
      ...pod,
      state: "PLACED",
      host: placement.hostname,
      ports,
      message: `placed on ${placement.hostname}`,
      reason: "",
      updatedAt: now,
      revision: pod.revision + 1,
    };
  });
  for (const u of plan.unplaced) {
    const { pod, volume } = byId.get(u.podId)!;
    const message = volume
      ? `waiting for host ${volume.hostname}, which holds its persistent volume ${volume.id}: ${u.reasons.map((r) => r.reason).join("; ")}`
      : `no host fits: ${u.message}`;
    const changed = withMessage(pod, message, now);
    if (changed) waiting.push(changed);
  }
  return { placed: placedPods, waiting, preempt };
}
