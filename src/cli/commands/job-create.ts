import type { Command } from "@commander-js/extra-typings";
import { JobServiceDefinition } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { replyType } from "../message-type.js";
import { parseUint } from "../parse-args.js";
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

export function addJobCreate(stateless: Command, ctx: CommandContext): void {
  stateless
    .command("create")
    .description(
      "create a stateless job from a YAML spec in a resource pool, brought up <batch-size> instances at a time",
    )
    .argument("<respool-path>", "path of the job's resource pool, e.g. /web")
    .argument("<spec-file>", "YAML job spec, written with JobSpec's fields (snake_case)")
    .argument("<batch-size>", "instances created at a time (0: all at once)", parseUint)
    .option("-i, --jobID <uuid>", "the job's id (the server makes one without it)")
    .addOption(startPaused())
    .addOption(opaqueData())
    .addOption(maxInstanceRetries())
    .addOption(maxInstanceRetriesPeloton())
    .addOption(maxTolerableFailures())
    .addOption(maxTolerableFailuresPeloton())
    .addOption(secretPath())
    .addOption(secretData())
    .option("--wait", WAIT_HELP)
    .addOption(waitTimeoutOption())
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless create /web examples/job.yaml 1",
        "peloton job stateless create /web examples/job.yaml 2 --jobID 6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11 --wait",
        "peloton job stateless create /web examples/job.yaml 1 --start-paused --max-tolerable-instance-failures 1",
      ),
    )
    .action(async (respoolPath, specFile, batchSize, o) => {
      const spec = readJobSpec(specFile);
      const clients = ctx.clients();
      spec.respoolId = { value: await respoolIdAt(clients, respoolPath) };
      const reply = await clients.job.createJob({
        jobId: o.jobID ? { value: o.jobID } : undefined,
        spec,
        secrets: secretsOf(o),
        createSpec: {
          batchSize,
          maxInstanceRetries: o.maxInstanceRetries,
          maxTolerableInstanceFailures: o.maxTolerableInstanceFailures,
          startPaused: o.startPaused ?? false,
        },
        opaqueData: opaque(o.opaqueData),
      });
      const jobId = reply.jobId?.value ?? "";
      const version = reply.version?.value ?? "";
      ctx
        .output()
        .reply(
          replyType(JobServiceDefinition, "createJob"),
          reply,
          () => `Job ${jobId} created (entity version ${version})\n`,
        );
      if (o.wait) await waitForGoal(ctx, jobId, workflowGoal("create workflow", version), o.waitTimeout);
    });
}
