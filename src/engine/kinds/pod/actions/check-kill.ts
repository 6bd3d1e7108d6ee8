import type { PodContext, PodStep } from "../pod-step.js";

/** KILLING for longer than the grace period allows: send the kill again. */
export const checkKill = ({ pod, template, now, timings }: PodContext): PodStep => {
  const deadline = pod.updatedAt + template.killGracePeriodMs + timings.killTimeoutMs;
  if (now < deadline) return { recheckAt: deadline };
  return { kill: true, recheckAt: now + template.killGracePeriodMs + timings.killTimeoutMs };
};
