import { moveTo, type PodContext, type PodStep } from "../pod-step.js";

/**
 * A run not yet on an agent whose configuration version is no longer the one it should run: it
 * simply takes the desired version. A placed run goes back to waiting: its host was chosen for
 * the old spec.
 */
export const retarget = ({ pod, now }: PodContext): PodStep => {
  if (pod.state === "PLACED") {
    return {
      pod: moveTo(pod, "PENDING", now, {
        configVersion: pod.desiredConfigVersion,
        host: null,
        ports: {},
        message: "waiting for admission and placement",
        reason: "",
      }),
      event: true,
    };
  }
  return {
    pod: { ...pod, configVersion: pod.desiredConfigVersion, updatedAt: now, revision: pod.revision + 1 },
    recheckAt: now,
  };
};
