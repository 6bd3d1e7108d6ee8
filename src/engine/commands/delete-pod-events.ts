import { podName } from "../../domain/pod.js";
import { AppError } from "../../lib/app-error.js";
import { type Command, commandJob } from "./command.js";

/** DeletePodEvents: the events of one run of a pod (`runId`), or of every run (null). */
export const deletePodEvents =
  (jobId: string, instance: number, runId: number | null): Command<void> =>
  (tick) => {
    commandJob(tick, jobId);
    const pod = tick.pod(jobId, instance);
    if (!pod) throw AppError.notFound(`pod ${podName(jobId, instance)} does not exist`);
    tick.deletePodEvents.push({ jobId, instance, runId });
  };
