import { isOnHost, type PodRuntime, podId, podName } from "../../domain/pod.js";
import { AppError } from "../../lib/app-error.js";
import { jobKey, podKey } from "../loop/entity-key.js";
import { type Command, commandJob } from "./command.js";

/** Where a pod command sends an instance. */
export type PodCommand = "start" | "stop" | "restart";

/**
 * StartPod, StopPod, RestartPod: the instance's new goal, once stored. Starting a pod of a
 * stopped job brings the job back (its goal is RUNNING again, its other pods stay stopped). A
 * restart kills the run on its host at once (no failure counted); it comes back as a new run.
 */
export const podCommand =
  (jobId: string, instance: number, command: PodCommand): Command<PodRuntime> =>
  (tick, env) => {
    const { entry, job } = commandJob(tick, jobId);
    const pod = tick.pod(jobId, instance);
    if (!pod) throw AppError.notFound(`pod ${podName(jobId, instance)} does not exist`);
    if (command !== "stop" && job.goalState === "KILLED") {
      tick.stageJob({
        ...job,
        goalState: "RUNNING",
        desiredStateVersion: job.desiredStateVersion + 1,
        revision: job.revision + 1,
        updatedAt: tick.now,
      });
      tick.lookNow(jobKey(jobId));
    }
    let next: PodRuntime = pod;
    if (command === "start" && pod.goal !== "RUNNING") next = { ...pod, goal: "RUNNING" };
    if (command === "stop" && pod.goal !== "KILLED") next = { ...pod, goal: "KILLED" };
    if (command === "restart") {
      next = { ...pod, goal: "RUNNING" };
      // A run being killed already (on request or to preempt it) is not killed twice.
      if (isOnHost(pod.state) && pod.state !== "KILLING" && pod.state !== "PREEMPTING") {
        next = {
          ...next,
          state: "KILLING",
          message: "restarting on request",
          terminationReason: "KILLED_ON_REQUEST",
          updatedAt: tick.now,
        };
        tick.kills.push({
          podId: podId(jobId, instance, pod.runId),
          gracePeriodMs: env.cache.template(entry, pod).killGracePeriodMs,
        });
      }
    }
    if (next !== pod) tick.stagePod({ ...next, revision: pod.revision + 1 }, next.state !== pod.state);
    tick.lookNow(podKey(jobId, instance));
    return next;
  };
