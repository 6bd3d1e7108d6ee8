import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/** A run on a host whose goal is no longer RUNNING: ask its agent to kill it. */
export const kill = ({ pod, template, now, timings }: PodContext): PodStep => ({
  pod: moveTo(pod, "KILLING", now, { message: "killing on request", terminationReason: "KILLED_ON_REQUEST" }),
  event: true,
  kill: true,
  recheckAt: now + template.killGracePeriodMs + timings.killTimeoutMs,
});
