import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/** A run not yet on an agent whose goal is no longer RUNNING: it ends KILLED right away. */
export const release = ({ pod, now }: PodContext): PodStep => ({
  pod: moveTo(pod, "KILLED", now, {
    host: null,
    ports: {},
    message: "stopped before it was launched",
    reason: "",
    terminationReason: "KILLED_ON_REQUEST",
    completedAt: now,
  }),
  event: true,
});
