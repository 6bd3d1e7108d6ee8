import type { PodRuntime } from "../../domain/pod.js";
import { maintenanceKill } from "../kinds/pod/actions/maintenance-kill.js";
import { applyPodStep } from "../kinds/pod/decide-pod.js";
import type { Tick } from "../tick/tick.js";
import { drainPlan } from "./drain-plan.js";
import { drainingHosts, type RoundEnv } from "./round-env.js";

/**
 * Host maintenance: kills the runs on draining hosts that the drain plan (drain-plan.ts) allows
 * now, within each job's maximum_unavailable_instances. Runs when the draining hosts changed or
 * pods changed this tick (a moved pod RUNNING again frees budget).
 */
export function drainRound(tick: Tick, review: boolean, env: RoundEnv): void {
  if (!review && tick.pods.size === 0) return;
  const draining = drainingHosts(tick);
  if (draining.size === 0) return;
  const jobs = [...env.cache.jobs.values()].map((entry) => ({
    id: entry.job.id,
    maxUnavailable: tick.job(entry.job.id)!.maxUnavailable,
    pods: tick.podsOf(entry),
  }));
  for (const { jobId, pod } of drainPlan<PodRuntime>(jobs, draining)) {
    const template = env.cache.templateIfAny(env.cache.jobs.get(jobId)!, pod);
    if (!template) continue;
    env.actions.count("pod", "maintenanceKill");
    const step = maintenanceKill({
      pod,
      template,
      now: tick.now,
      timings: env.timings,
    });
    applyPodStep(tick, pod, step, env);
  }
}
