import { isOnHost } from "../../domain/pod.js";
import { yieldToEventLoop } from "../../lib/yield-to-event-loop.js";
import { preempt } from "../kinds/pod/actions/preempt.js";
import { applyPodStep, decidePod } from "../kinds/pod/decide-pod.js";
import { volumeOnPlacement } from "../kinds/pod/volume-steps.js";
import { decodeKey, type KeyString, podKey } from "../loop/entity-key.js";
import type { Tick } from "../tick/tick.js";
import { placementHosts, type RoundEnv } from "./round-env.js";
import { type PendingPod, type RoundPod, schedulingRound } from "./scheduling-round.js";

/** Placed pods staged between two yields to the event loop. */
const YIELD_EVERY = 5000;

/**
 * Offers the pods waiting for placement to the scheduler (schedulingRound: admission by the
 * pools, then placement) and stages its plan: placed pods (with a new persistent volume where
 * the spec asks for one, in the same commit), reasons for those left waiting, preemptions.
 */
export async function runSchedulingRound(tick: Tick, env: RoundEnv): Promise<void> {
  const { cache } = env;
  const pendingKeys = new Set<KeyString>(cache.pending.keys());
  for (const [key, p] of tick.pods) {
    if (p.state === "PENDING") pendingKeys.add(key);
    else pendingKeys.delete(key);
  }
  if (pendingKeys.size === 0) return;

  const pending: PendingPod[] = [];
  for (const key of pendingKeys) {
    const k = decodeKey(key);
    if (k.kind !== "pod") continue;
    const entry = cache.jobs.get(k.jobId);
    const pod = entry && tick.pod(k.jobId, k.instance);
    const template = entry && pod && cache.templateIfAny(entry, pod);
    if (!entry || !pod || !template || tick.deleteJobs.has(k.jobId)) continue;
    pending.push({
      job: tick.job(k.jobId)!,
      pod,
      template,
      seq: cache.pending.seqOf(key),
      volume: cache.volumes.current(tick.volumes, k.jobId, pod.instance),
    });
  }
  const {
    placed,
    waiting,
    preempt: victims,
  } = await schedulingRound(
    {
      now: tick.now,
      pending,
      onHost: onHost(tick, env),
      hosts: placementHosts(tick, env),
      volumes: cache.volumes.live(tick.volumes),
      pools: [...tick.allPools().values()],
    },
    env.scheduler,
  );
  for (const p of waiting) tick.stagePod(p, false);
  for (const v of victims) {
    if (v.pod.state === "KILLING" || v.pod.state === "PREEMPTING" || !isOnHost(v.pod.state)) continue;
    env.actions.count("pod", "preempt");
    applyPodStep(
      tick,
      v.pod,
      preempt({ pod: v.pod, template: v.template, now: tick.now, timings: env.timings }, v.reason),
      env,
    );
  }
  tick.placed += placed.length;
  for (const [i, placedPod] of placed.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
    // A pod whose spec asks for a volume gets it on its first host, in this same commit.
    const entry = cache.jobs.get(placedPod.jobId)!;
    const existing = cache.volumes.current(tick.volumes, placedPod.jobId, placedPod.instance);
    const withVolume = volumeOnPlacement(
      placedPod,
      cache.template(entry, placedPod),
      existing,
      tick.now,
      env.newVolumeId,
    );
    if (withVolume.volume) tick.volumes.set(withVolume.volume);
    const p = withVolume.pod;
    tick.stagePod(p, true);
    decidePod(tick, p.jobId, p.instance, env);
  }
}

/** The pods holding resources on hosts, as this tick sees them. */
function* onHost(tick: Tick, env: RoundEnv): Generator<RoundPod> {
  // Only the jobs this tick changed pods of need a look at its changes (a key per pod).
  const staged = new Set<string>();
  for (const p of tick.pods.values()) staged.add(p.jobId);
  for (const entry of env.cache.jobs.values()) {
    const id = entry.job.id;
    const changed = staged.has(id);
    const job = tick.job(id)!;
    for (let i = 0; i < entry.pods.length; i++) {
      const pod = changed ? (tick.pods.get(podKey(id, i)) ?? entry.pods[i]) : entry.pods[i];
      if (!pod || !isOnHost(pod.state) || !pod.host) continue;
      const template = env.cache.templateIfAny(entry, pod);
      if (template) yield { job, pod, template };
    }
  }
}
