import { Option } from "@commander-js/extra-typings";
import { JobSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { Secret } from "../../gen/peloton/api/v1alpha/peloton.js";
import { CliError } from "../cli-error.js";
import type { Clients } from "../connection.js";
import { EXIT } from "../exit-codes.js";
import { messageType } from "../message-type.js";
import { parseUint } from "../parse-args.js";
import { readSpecFile } from "../spec-file.js";

/*
 * Options shared by the job commands. Where Peloton's CLI spells a flag in camelCase
 * (--maxInstanceRetries), that spelling is taken too, hidden from --help: both land in the same
 * option.
 */

export const maxInstanceRetries = () =>
  new Option(
    "--max-instance-retries <n>",
    "times an instance is retried before it counts as failed (0: no limit)",
  )
    .argParser(parseUint)
    .default(0);
export const maxInstanceRetriesPeloton = () =>
  new Option("--maxInstanceRetries <n>").argParser(parseUint).hideHelp();

export const maxTolerableFailures = () =>
  new Option(
    "--max-tolerable-instance-failures <n>",
    "failed instances tolerated before the workflow fails (0: no limit)",
  )
    .argParser(parseUint)
    .default(0);
export const maxTolerableFailuresPeloton = () =>
  new Option("--maxTolerableInstanceFailures <n>").argParser(parseUint).hideHelp();

export const startPaused = () =>
  new Option("--start-paused", "start the workflow paused (resume it to go on)");
export const opaqueData = () =>
  new Option("--opaque-data <text>", "data of your own, stored with the workflow");
export const secretPath = () =>
  new Option("--secret-path <path>", "mount path of a secret in the containers");
export const secretData = () =>
  new Option("--secret-data <data>", "the secret's content (with --secret-path)");

export const jobSpecType = () => messageType("peloton.api.v1alpha.job.stateless.JobSpec", JobSpec);

export const readJobSpec = (path: string): JobSpec => readSpecFile(jobSpecType(), path);

/** The secret of --secret-path and --secret-data (both or neither). */
export function secretsOf(o: { secretPath?: string; secretData?: string }): Secret[] {
  if (o.secretPath === undefined && o.secretData === undefined) return [];
  if (o.secretPath === undefined || o.secretData === undefined) {
    throw new CliError("--secret-path and --secret-data go together", EXIT.USAGE);
  }
  return [{ path: o.secretPath, value: { data: Buffer.from(o.secretData, "utf8") } }];
}

/** The id of the resource pool at a path, as Peloton's CLI finds it: LookupResourcePoolID. */
export async function respoolIdAt(clients: Clients, path: string): Promise<string> {
  const { respoolId } = await clients.respool.lookupResourcePoolID({ path: { value: path } });
  return respoolId?.value ?? "";
}

export const opaque = (text: string | undefined) => (text === undefined ? undefined : { data: text });
export const entityVersion = (v: string | undefined) => (v ? { value: v } : undefined);
