import { type Command, Option, type OptionValues } from "@commander-js/extra-typings";
import type { JobSpec, UpdateSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { JobServiceDefinition } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { rangesText } from "../instance-ranges-text.js";
import { resolveJobId } from "../job-ref.js";
import { replyType } from "../message-type.js";
import { parseUint } from "../parse-args.js";
import { renderTable } from "../table.js";
import { workflowGoal } from "../wait/wait-goal.js";
import { WAIT_HELP, waitForGoal, waitTimeoutOption } from "../wait/wait-option.js";
import {
  maxInstanceRetries,
  maxInstanceRetriesPeloton,
  maxTolerableFailures,
  maxTolerableFailuresPeloton,
  opaque,
  opaqueData,
  readJobSpec,
  respoolIdAt,
  secretData,
  secretPath,
  secretsOf,
  startPaused,
} from "./job-options.js";

interface UpdateFlags {
  maxInstanceRetries?: number;
  maxTolerableInstanceFailures?: number;
  rollbackOnFailure?: true;
  startPaused?: true;
  inPlace?: true;
}

const updateSpecOf = (batchSize: number, o: UpdateFlags): UpdateSpec => ({
  batchSize,
  rollbackOnFailure: o.rollbackOnFailure ?? false,
  maxInstanceRetries: o.maxInstanceRetries ?? 0,
  maxTolerableInstanceFailures: o.maxTolerableInstanceFailures ?? 0,
  startPaused: o.startPaused ?? false,
  inPlace: o.inPlace ?? false,
});

const rollbackOnFailure = () =>
  new Option("--rollback-on-failure", "roll back to the previous spec if the update fails");
const rollbackOnFailurePeloton = () => new Option("--rollbackOnFailure").hideHelp();
const inPlace = () => new Option("--in-place", "keep each instance on its host where it can (best effort)");

/** The flags of a rolling update (Peloton's camelCase spellings too, hidden), secrets, --wait. */
const withUpdateFlags = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) =>
  cmd
    .addOption(maxInstanceRetries())
    .addOption(maxInstanceRetriesPeloton())
    .addOption(maxTolerableFailures())
    .addOption(maxTolerableFailuresPeloton())
    .addOption(rollbackOnFailure())
    .addOption(rollbackOnFailurePeloton())
    .addOption(startPaused())
    .addOption(inPlace())
    .addOption(opaqueData())
    .addOption(secretPath())
    .addOption(secretData())
    .option("--wait", WAIT_HELP)
    .addOption(waitTimeoutOption());

type UpdateMethod = "replaceJob" | "patchJob";

/** Sends a replace or a patch, prints the reply, and with --wait follows the update it started. */
async function update(
  ctx: CommandContext,
  method: UpdateMethod,
  job: string,
  version: string,
  spec: JobSpec,
  batchSize: number,
  o: UpdateFlags & {
    opaqueData?: string;
    secretPath?: string;
    secretData?: string;
    wait?: true;
    waitTimeout: number;
  },
): Promise<void> {
  const clients = ctx.clients();
  const jobId = await resolveJobId(clients, job);
  const reply = await clients.job[method]({
    jobId: { value: jobId },
    version: { value: version },
    spec,
    secrets: secretsOf(o),
    updateSpec: updateSpecOf(batchSize, o),
    opaqueData: opaque(o.opaqueData),
  });
  const next = reply.version?.value ?? "";
  ctx
    .output()
    .reply(
      replyType(JobServiceDefinition, method),
      reply,
      () => `Job ${jobId} updating to entity version ${next}\n`,
    );
  if (o.wait) await waitForGoal(ctx, jobId, workflowGoal("update workflow", next), o.waitTimeout);
}

/** replace, patch and replace-diff: a new spec, rolled out as an update workflow (or only compared). */
export function addJobUpdates(stateless: Command, ctx: CommandContext): void {
  withUpdateFlags(
    stateless
      .command("replace")
      .description("replace a job's whole spec, rolled out <batch-size> instances at a time")
      .argument("<job>", "job id (or a name only one job has)")
      .argument("<spec-file>", "YAML job spec, written with JobSpec's fields (snake_case)")
      .argument("<batch-size>", "instances updated at a time (0: all at once)", parseUint)
      .argument("<respool-path>", "path of the job's resource pool, e.g. /web")
      .argument("<entity-version>", "entity version you last saw (ABORTED if the job moved on)"),
  )
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless replace hello examples/job.yaml 1 /web 1-1-1",
        "peloton job stateless replace hello new.yaml 2 /web 1-1-1 --rollback-on-failure --max-tolerable-instance-failures 1 --wait",
      ),
    )
    .action(async (job, specFile, batchSize, respoolPath, version, o) => {
      const spec = readJobSpec(specFile);
      spec.respoolId = { value: await respoolIdAt(ctx.clients(), respoolPath) };
      await update(ctx, "replaceJob", job, version, spec, batchSize, o);
    });

  withUpdateFlags(
    stateless
      .command("patch")
      .description("change only the spec fields a YAML file sets, rolled out as an update")
      .argument("<job>", "job id (or a name only one job has)")
      .argument("<spec-file>", "YAML with the JobSpec fields to change (snake_case)")
      .argument("<entity-version>", "entity version you last saw (ABORTED if the job moved on)")
      .option("--batch-size <n>", "instances updated at a time (0: all at once)", parseUint, 0),
  )
    .addHelpText(
      "after",
      examplesHelp("peloton job stateless patch hello more-instances.yaml 1-1-1 --batch-size 1"),
    )
    .action(async (job, specFile, version, o) => {
      await update(ctx, "patchJob", job, version, readJobSpec(specFile), o.batchSize, o);
    });

  stateless
    .command("replace-diff")
    .description("show which instances a replace with this spec would add, remove, change or leave")
    .argument("<job>", "job id (or a name only one job has)")
    .argument("<spec-file>", "YAML job spec, written with JobSpec's fields (snake_case)")
    .argument("<respool-path>", "path of the job's resource pool, e.g. /web")
    .argument("<entity-version>", "entity version you last saw")
    .addHelpText("after", examplesHelp("peloton job stateless replace-diff hello new.yaml /web 1-1-1"))
    .action(async (job, specFile, respoolPath, version) => {
      const spec = readJobSpec(specFile);
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      spec.respoolId = { value: await respoolIdAt(clients, respoolPath) };
      const reply = await clients.job.getReplaceJobDiff({
        jobId: { value: jobId },
        version: { value: version },
        spec,
      });
      ctx.output().reply(replyType(JobServiceDefinition, "getReplaceJobDiff"), reply, (r) =>
        renderTable(
          ["INSTANCES", "RANGES"],
          [
            ["added", rangesText(r.instancesAdded)],
            ["removed", rangesText(r.instancesRemoved)],
            ["updated", rangesText(r.instancesUpdated)],
            ["unchanged", rangesText(r.instancesUnchanged)],
          ],
        ),
      );
    });
}
