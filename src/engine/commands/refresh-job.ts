import { isOnHost, podId } from "../../domain/pod.js";
import { jobKey, podKey, workflowKey } from "../loop/entity-key.js";
import { type Command, commandJob } from "./command.js";

/**
 * RefreshJob: once the tick is committed, reloads the job's configurations from the store, looks
 * at the job, its workflow and every pod again, and asks the fleet where its runs are.
 */
export const refreshJob =
  (jobId: string): Command<void> =>
  (tick, env) => {
    const { entry } = commandJob(tick, jobId);
    tick.afterCommit.push(async () => {
      const stored = await env.store.loadJob(jobId);
      if (!stored || env.cache.jobs.get(jobId) !== entry) return;
      for (const [v, t] of stored.templates) entry.templates.set(v, t);
      const later = tick.now;
      tick.recheck(jobKey(jobId), later);
      tick.recheck(workflowKey(jobId), later);
      const onHost: string[] = [];
      for (const p of entry.pods) {
        if (!p) continue;
        tick.recheck(podKey(jobId, p.instance), later);
        if (isOnHost(p.state)) onHost.push(podId(jobId, p.instance, p.runId));
      }
      env.fleet.reconcile(onHost);
    });
  };
