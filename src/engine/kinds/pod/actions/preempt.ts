import type { PodTemplate } from "../../../../domain/pod.js";
import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/**
 * Frees a victim's resources for a starved pool: the run is killed (state PREEMPTING); it comes
 * back as a new run waiting for admission again, unless its spec says `kill_on_preempt`.
 */
export const preempt = (
  { pod, template, now, timings }: PodContext & { template: PodTemplate },
  reason: string,
): PodStep => ({
  pod: moveTo(pod, "PREEMPTING", now, {
    goal: template.killOnPreempt ? "KILLED" : pod.goal,
    message: `preempted: ${reason}`,
    terminationReason: "PREEMPTED_RESOURCES",
  }),
  event: true,
  kill: true,
  recheckAt: now + template.killGracePeriodMs + timings.killTimeoutMs,
});
