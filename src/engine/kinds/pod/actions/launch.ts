import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/** PLACED → LAUNCHING: hand the run to its host's agent; give up on it if it never answers. */
export const launch = ({ pod, now, timings }: PodContext): PodStep => ({
  pod: moveTo(pod, "LAUNCHING", now, { message: `launching on ${pod.host}` }),
  event: true,
  launch: true,
  recheckAt: now + timings.launchTimeoutMs,
});
