import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/** INITIALIZED → PENDING: the run waits for admission and placement. */
export const enqueue = ({ pod, now }: PodContext): PodStep => ({
  pod: moveTo(pod, "PENDING", now, { message: "waiting for admission and placement", reason: "" }),
  event: true,
});
