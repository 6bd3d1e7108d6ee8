import { ClientError, Status } from "nice-grpc";
import type { WatchRequest, WatchResponse } from "../../gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import type { Clock } from "../../lib/clock.js";
import { CliError } from "../cli-error.js";
import { EXIT } from "../exit-codes.js";
import { resumableWatch } from "../watch/resumable-watch.js";
import { jobProgressOf } from "./job-progress.js";
import type { GetJobCaller } from "./poll-progress.js";
import type { ProgressSource } from "./progress-source.js";

/** What the Watch source needs of WatchService. */
export interface WatchCaller {
  watch(request: Partial<WatchRequest>, options?: { signal?: AbortSignal }): AsyncIterable<WatchResponse>;
}

export interface WatchProgressDeps {
  readonly watch: WatchCaller;
  readonly job: GetJobCaller;
  readonly clock: Clock;
  /** Used instead when the server answers Watch with UNIMPLEMENTED. */
  readonly fallback: ProgressSource;
  onReconnect?(error: unknown, delayMs: number): void;
}

/**
 * The job as Watch reports it: the watch is opened first, then GetJob gives the state to start
 * from, then every change the watch delivers follows (so none falls between the two). The watch
 * resumes from its last revision after a disconnect. A server without Watch gets `fallback`.
 */
export function watchProgress(deps: WatchProgressDeps, jobId: string): ProgressSource {
  return async function* watched(signal) {
    const changes = resumableWatch({
      open: (startRevision, s) =>
        deps.watch.watch(
          { startRevision, statelessJobFilter: { jobIds: [{ value: jobId }] } },
          { signal: s },
        ),
      clock: deps.clock,
      signal,
      onReconnect: deps.onReconnect,
    })[Symbol.asyncIterator]();
    let first: IteratorResult<WatchResponse>;
    try {
      first = await changes.next();
    } catch (e) {
      if (e instanceof ClientError && e.code === Status.UNIMPLEMENTED) {
        yield* deps.fallback(signal);
        return;
      }
      throw e;
    }
    if (first.done) return;
    const { summary } = await deps.job.getJob({ jobId: { value: jobId }, summaryOnly: true }, { signal });
    let instanceCount = summary?.instanceCount ?? 0;
    yield jobProgressOf(jobId, instanceCount, summary?.status);
    for (let next: IteratorResult<WatchResponse> = first; !next.done; next = await changes.next()) {
      if (next.value.statelessJobsNotFound.some((id) => id.value === jobId)) {
        throw new CliError(`job ${jobId} no longer exists`, EXIT.WAIT_FAILED);
      }
      for (const job of next.value.statelessJobs) {
        if (job.jobId?.value !== jobId) continue;
        instanceCount = job.instanceCount;
        yield jobProgressOf(jobId, instanceCount, job.status);
      }
    }
  };
}
