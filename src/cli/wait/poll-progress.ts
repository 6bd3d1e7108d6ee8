import type {
  GetJobRequest,
  GetJobResponse,
} from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { Clock } from "../../lib/clock.js";
import { delay } from "./cli-clock.js";
import { jobProgressOf } from "./job-progress.js";
import type { ProgressSource } from "./progress-source.js";

/** What polling needs of JobService. */
export interface GetJobCaller {
  getJob(request: GetJobRequest, options?: { signal?: AbortSignal }): Promise<GetJobResponse>;
}

/** The job as GetJob (summary only) shows it, every `intervalMs`: the source for servers without Watch. */
export function pollProgress(
  job: GetJobCaller,
  jobId: string,
  clock: Clock,
  intervalMs = 500,
): ProgressSource {
  return async function* poll(signal) {
    while (!signal.aborted) {
      const { summary } = await job.getJob({ jobId: { value: jobId }, summaryOnly: true }, { signal });
      yield jobProgressOf(jobId, summary?.instanceCount ?? 0, summary?.status);
      if (!(await delay(clock, intervalMs, signal))) return;
    }
  };
}
