import { type PodRuntime, podId, podName } from "../../../domain/pod.js";
import { podKey } from "../../loop/entity-key.js";
import { launchRequest } from "../../tick/launch-request.js";
import type { Tick } from "../../tick/tick.js";
import type { KindEnv } from "../kind-env.js";
import type { PodStep } from "./pod-step.js";
import { POD_ACTIONS, podActionFor } from "./rules.js";

/** Looks at a pod: its rules table names the action, which decides; the tick stages the outcome. */
export function decidePod(tick: Tick, jobId: string, instance: number, env: KindEnv): void {
  const entry = env.cache.jobs.get(jobId);
  const pod = entry && tick.pod(jobId, instance);
  if (!entry || !pod) return;
  const action = podActionFor(pod);
  env.actions.count("pod", action);
  if (action === "invalid") {
    env.log.warn(
      { pod: podName(jobId, pod.instance), goal: pod.goal, state: pod.state },
      "no action for this goal and state",
    );
    return;
  }
  const step = POD_ACTIONS[action]({
    pod,
    template: env.cache.template(entry, pod),
    now: tick.now,
    timings: env.timings,
  });
  applyPodStep(tick, pod, step, env);
}

/**
 * Stages what a step decided for `pod`: its new runtime (and PodEvent), then what to do once the
 * tick is committed: launch the run, kill it, look at the pod again. A look due now happens now.
 */
export function applyPodStep(tick: Tick, pod: PodRuntime, step: PodStep, env: KindEnv): void {
  const next = step.pod ?? pod;
  if (step.pod) tick.stagePod(step.pod, step.event ?? false);
  const entry = env.cache.jobs.get(pod.jobId);
  if (!entry) return;
  if (step.launch && next.host) {
    tick.launches.push(launchRequest(next, next.host, env.cache.template(entry, next)));
  }
  if (step.kill) {
    tick.kills.push({
      podId: podId(next.jobId, next.instance, pod.runId),
      gracePeriodMs: env.cache.template(entry, next).killGracePeriodMs,
    });
  }
  if (step.recheckAt !== undefined) {
    if (step.recheckAt <= tick.now) decidePod(tick, pod.jobId, pod.instance, env);
    else tick.recheck(podKey(pod.jobId, pod.instance), step.recheckAt);
  }
}
