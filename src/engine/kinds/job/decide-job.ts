import { jobKey } from "../../loop/entity-key.js";
import type { Tick } from "../../tick/tick.js";
import type { KindEnv } from "../kind-env.js";
import { decidePod } from "../pod/decide-pod.js";
import { JOB_ACTIONS, jobActionFor } from "./rules.js";

/** Looks at a job: its rules table names the action; the tick stages what it decided. */
export function decideJob(tick: Tick, jobId: string, env: KindEnv): void {
  const entry = env.cache.jobs.get(jobId);
  if (!entry || tick.deleteJobs.has(jobId)) return;
  const job = tick.job(jobId)!;
  const action = jobActionFor(job.goalState, job.state);
  env.actions.count("job", action);
  if (action === "invalid") {
    env.log.warn({ job: jobId, goal: job.goalState, state: job.state }, "no action for this goal and state");
    return;
  }
  const room = env.timings.podsCreatedPerTick - tick.created;
  const decision = JOB_ACTIONS[action]({
    job,
    pods: tick.podsOf(entry),
    templates: entry.templates.get(job.configVersion)!,
    workflow: tick.workflow(jobId),
    now: tick.now,
    room,
  });
  if (decision.delete) {
    tick.deleteJob(jobId);
    return;
  }
  tick.created += decision.newPods.length;
  for (const p of decision.newPods) {
    tick.stagePod(p, true);
    decidePod(tick, p.jobId, p.instance, env);
  }
  if (decision.job) tick.stageJob(decision.job);
  // Creation is bounded per tick over all jobs: a job that had to stop short comes back next tick.
  if (decision.more && decision.newPods.length >= room) tick.recheck(jobKey(jobId), tick.now);
}
