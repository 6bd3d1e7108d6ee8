import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/** LAUNCHING for too long: the launch was lost on the way; the run is LOST and will restart. */
export const checkLaunch = ({ pod, now, timings }: PodContext): PodStep => {
  const deadline = pod.updatedAt + timings.launchTimeoutMs;
  if (now < deadline) return { recheckAt: deadline };
  return {
    pod: moveTo(pod, "LOST", now, {
      message: "the agent never confirmed the launch",
      reason: "REASON_LAUNCH_TIMEOUT",
      completedAt: now,
      failureCount: pod.failureCount + 1,
    }),
    event: true,
    recheckAt: now,
  };
};
