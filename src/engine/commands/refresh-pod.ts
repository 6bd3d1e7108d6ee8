import { isOnHost, podId, podName } from "../../domain/pod.js";
import { AppError } from "../../lib/app-error.js";
import { podKey } from "../loop/entity-key.js";
import { type Command, commandJob } from "./command.js";

/**
 * RefreshPod: once the tick is committed, reloads the pod's row from the store into the cache,
 * looks at it again, and asks the fleet where its run is.
 */
export const refreshPod =
  (jobId: string, instance: number): Command<void> =>
  (tick, env) => {
    const { entry } = commandJob(tick, jobId);
    if (!tick.pod(jobId, instance)) throw AppError.notFound(`pod ${podName(jobId, instance)} does not exist`);
    tick.afterCommit.push(async () => {
      const stored = await env.store.loadPod(jobId, instance);
      if (!stored || env.cache.jobs.get(jobId) !== entry) return;
      env.cache.setPod(entry, stored);
      tick.recheck(podKey(jobId, instance), tick.now);
      if (isOnHost(stored.state)) env.fleet.reconcile([podId(jobId, instance, stored.runId)]);
    });
  };
