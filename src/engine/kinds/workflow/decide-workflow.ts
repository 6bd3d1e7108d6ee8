import { workflowKey } from "../../loop/entity-key.js";
import type { Tick } from "../../tick/tick.js";
import { firstRun } from "../job/first-run.js";
import type { KindEnv } from "../kind-env.js";
import { decidePod } from "../pod/decide-pod.js";
import { WORKFLOW_ACTIONS, type WorkflowGoal, workflowActionFor } from "./rules.js";

/**
 * Looks at a job's latest workflow: records its instances' progress and, when it rolls, creates
 * the next instances (their first runs are decided at once: they go PENDING in this tick).
 */
export function decideWorkflow(tick: Tick, jobId: string, env: KindEnv): void {
  const entry = env.cache.jobs.get(jobId);
  const wf = tick.workflow(jobId);
  if (!entry || !wf || tick.deleteJobs.has(jobId)) return;
  const job = tick.job(jobId)!;
  const goal: WorkflowGoal = job.goalState === "RUNNING" ? "roll" : "hold";
  const action = workflowActionFor(goal, wf.state);
  env.actions.count("workflow", action);
  if (action === "done") return;
  const templates = entry.templates.get(job.configVersion)!;
  const room = env.timings.podsCreatedPerTick - tick.created;
  const step = WORKFLOW_ACTIONS[action]({
    workflow: wf,
    job,
    templates,
    pods: tick.podsOf(entry),
    now: tick.now,
    room,
  });
  if (step.workflow) tick.stageWorkflow(step.workflow, step.event);
  if (step.instanceEvents) tick.stageWorkflowEvents(step.instanceEvents);
  tick.created += step.create.length;
  for (const instance of step.create) {
    tick.stagePod(firstRun(job, templates, instance, tick.now), true);
    decidePod(tick, jobId, instance, env);
  }
  // Creation is bounded per tick over all jobs: a workflow that had to stop short comes back.
  if (step.more && step.create.length >= room) tick.recheck(workflowKey(jobId), tick.now);
}
