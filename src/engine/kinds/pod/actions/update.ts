import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/**
 * A run on an agent whose configuration version is no longer the one it should run: it is killed
 * (no failure counted) and starts again as a new run of the desired version.
 */
export const update = ({ pod, template, now, timings }: PodContext): PodStep => ({
  pod: moveTo(pod, "KILLING", now, {
    message: `killing to run configuration version ${pod.desiredConfigVersion}`,
    terminationReason: "KILLED_FOR_UPDATE",
  }),
  event: true,
  kill: true,
  recheckAt: now + template.killGracePeriodMs + timings.killTimeoutMs,
});
