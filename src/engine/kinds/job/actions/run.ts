import { instancesIn, subtractRanges, unionRanges } from "../../../../domain/instance-ranges.js";
import { isActiveWorkflow } from "../../../../domain/workflow.js";
import { firstRun } from "../first-run.js";
import type { JobContext, JobDecision } from "../job-context.js";
import { jobState } from "../job-state.js";

/**
 * A job meant to run: its state follows its pods. Its workflow brings its instances up; a job
 * stored before workflows existed has none, and gets every missing instance here (at most
 * `room` this tick).
 */
export function run({ job, pods, templates, workflow, now, room }: JobContext): JobDecision {
  if (workflow) {
    const more = () => {
      if (!isActiveWorkflow(workflow.state)) return false;
      const open = subtractRanges(
        workflow.instancesAdded,
        unionRanges(workflow.instancesDone, workflow.instancesFailed),
      );
      for (const id of instancesIn(open)) if (!pods[id]) return true;
      return false;
    };
    return { ...jobState(job, pods, now, more), newPods: [], more: false };
  }
  const newPods = [];
  for (let i = 0; i < job.instanceCount && newPods.length < room; i++)
    if (!pods[i]) newPods.push(firstRun(job, templates, i, now));
  const all = [...pods];
  for (const p of newPods) all[p.instance] = p;
  const more = all.filter(Boolean).length < job.instanceCount;
  return { ...jobState(job, all, now, () => more), newPods, more };
}
