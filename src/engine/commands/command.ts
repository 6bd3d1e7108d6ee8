import { type EntityVersion, expectVersion, versionOf } from "../../domain/entity-version.js";
import type { JobRecord } from "../../domain/job.js";
import { AppError } from "../../lib/app-error.js";
import type { JobEntry } from "../cache/runtime-cache.js";
import type { EngineFleet, EngineStore } from "../ports.js";
import type { RoundEnv } from "../rounds/round-env.js";
import type { Tick } from "../tick/tick.js";

/** What a command may use: the tick it runs in (its reads and staging) and the engine's parts. */
export interface CommandEnv extends RoundEnv {
  /** Reads the store after the commit (refresh commands). */
  readonly store: Pick<EngineStore, "loadPod" | "loadJob">;
  readonly fleet: EngineFleet;
}

/**
 * A request to change something durable. It runs at the start of a tick, reads what the tick
 * sees and stages its changes, and answers once the tick is committed; it throws an AppError to
 * refuse (nothing it staged is kept then: commands validate before they stage).
 */
export type Command<T> = (tick: Tick, env: CommandEnv) => T;

/**
 * The job a command acts on, as this tick sees it: NOT_FOUND when it is unknown or being
 * deleted, ABORTED when `version` is given and is not its current version.
 */
export function commandJob(
  tick: Tick,
  jobId: string,
  version?: EntityVersion,
): { entry: JobEntry; job: JobRecord } {
  const entry = tick.entry(jobId);
  const job = tick.job(jobId);
  if (!entry || !job || tick.deleteJobs.has(jobId)) throw AppError.notFound(`job ${jobId} does not exist`);
  if (version) expectVersion(versionOf(job), version);
  if (job.goalState === "DELETED") throw AppError.notFound(`job ${jobId} is being deleted`);
  return { entry, job };
}
