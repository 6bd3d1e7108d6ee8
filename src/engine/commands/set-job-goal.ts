import type { EntityVersion } from "../../domain/entity-version.js";
import { type JobGoal, type JobRecord, STOPPED_JOB_STATES } from "../../domain/job.js";
import { AppError } from "../../lib/app-error.js";
import { POD_GOAL_OF } from "../kinds/job/first-run.js";
import { jobKey, podKey } from "../loop/entity-key.js";
import { type Command, commandJob } from "./command.js";

/**
 * StartJob, StopJob, DeleteJob: moves a job towards a goal and every pod with it; answers with
 * its new version once stored. ABORTED when `version` is not current; deleting a job that has
 * not stopped needs `force`.
 */
export const setJobGoal =
  (jobId: string, goal: JobGoal, version: EntityVersion | undefined, force = false): Command<JobRecord> =>
  (tick) => {
    const { entry, job } = commandJob(tick, jobId, version);
    if (goal === "DELETED" && !force && !STOPPED_JOB_STATES.includes(job.state)) {
      throw AppError.aborted("job is not stopped");
    }
    if (job.goalState === goal) return job;
    const next: JobRecord = {
      ...job,
      goalState: goal,
      desiredStateVersion: job.desiredStateVersion + 1,
      revision: job.revision + 1,
      updatedAt: tick.now,
    };
    tick.stageJob(next);
    const podGoal = POD_GOAL_OF[goal];
    for (const [i, p] of entry.pods.entries()) {
      if (!p) continue;
      const cur = tick.pod(jobId, i) ?? p;
      if (cur.goal !== podGoal) tick.stagePod({ ...cur, goal: podGoal, revision: cur.revision + 1 }, false);
      tick.lookNow(podKey(jobId, i));
    }
    tick.lookNow(jobKey(jobId));
    return next;
  };
