import { CliError } from "./cli-error.js";
import type { Clients } from "./connection.js";
import { EXIT, STATUS_CLASSES } from "./exit-codes.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The job id a `<job>` argument names: a UUID as it is, anything else as a job name the server
 * resolves (GetJobIDFromJobName); a name several jobs share is refused, with their count.
 */
export async function resolveJobId(clients: Clients, job: string): Promise<string> {
  if (UUID.test(job)) return job;
  const { jobId } = await clients.job.getJobIDFromJobName({ jobName: job });
  if (jobId.length === 1) return jobId[0]!.value;
  const shown = JSON.stringify(job.slice(0, 80));
  if (jobId.length === 0) throw new CliError(`no job is named ${shown}`, STATUS_CLASSES.notFound);
  throw new CliError(`${jobId.length} jobs are named ${shown}: name one by its id`, EXIT.USAGE);
}
