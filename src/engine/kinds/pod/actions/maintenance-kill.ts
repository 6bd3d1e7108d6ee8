import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/**
 * A run on a draining host that the drain plan chose to move: it is killed with reason
 * KILLED_HOST_MAINTENANCE (a no-fault end: no failure counted, restarted at once, and placed
 * on a host that is UP). The goal stays RUNNING. The KILLING state and its PodEvent are
 * committed in the tick that decides the kill, before the fleet is told, so the decision
 * survives a crash.
 */
export const maintenanceKill = ({ pod, template, now, timings }: PodContext): PodStep => ({
  pod: moveTo(pod, "KILLING", now, {
    message: `killing for maintenance of host ${pod.host}`,
    terminationReason: "KILLED_HOST_MAINTENANCE",
  }),
  event: true,
  kill: true,
  recheckAt: now + template.killGracePeriodMs + timings.killTimeoutMs,
});
