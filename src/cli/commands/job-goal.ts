import type { Command } from "@commander-js/extra-typings";
import { JobServiceDefinition } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { resolveJobId } from "../job-ref.js";
import { replyType } from "../message-type.js";
import { runningGoal, stoppedGoal, type WaitGoal } from "../wait/wait-goal.js";
import { WAIT_HELP, waitForGoal, waitTimeoutOption } from "../wait/wait-option.js";
import { entityVersion } from "./job-options.js";

const VERSION_HELP =
  "entity version you last saw (the call fails with ABORTED if the job moved on); none: any";

/** start, stop, delete and refresh: the commands that move a job's goal (or look at it again). */
export function addJobGoals(stateless: Command, ctx: CommandContext): void {
  const move = (name: "start" | "stop", goal: WaitGoal, doing: string, example: string) =>
    stateless
      .command(name)
      .description(`${name} every pod of a job`)
      .argument("<job>", "job id (or a name only one job has)")
      .argument("[entity-version]", VERSION_HELP)
      .option("--wait", WAIT_HELP)
      .addOption(waitTimeoutOption())
      .addHelpText(
        "after",
        examplesHelp(
          `peloton job stateless ${name} hello`,
          `peloton job stateless ${name} hello ${example} --wait`,
        ),
      )
      .action(async (job, version, o) => {
        const clients = ctx.clients();
        const jobId = await resolveJobId(clients, job);
        const method = name === "start" ? "startJob" : "stopJob";
        const reply = await clients.job[method]({ jobId: { value: jobId }, version: entityVersion(version) });
        ctx
          .output()
          .reply(
            replyType(JobServiceDefinition, method),
            reply,
            (r) => `Job ${jobId} ${doing} (entity version ${r.version?.value})\n`,
          );
        if (o.wait) await waitForGoal(ctx, jobId, goal, o.waitTimeout);
      });
  move("start", runningGoal, "starting", "1-2-1");
  move("stop", stoppedGoal, "stopping", "1-1-1");

  stateless
    .command("delete")
    .description(
      "delete a stopped job and everything stored about it (--force: a running one, stopped first)",
    )
    .argument("<job>", "job id (or a name only one job has)")
    .argument("[entity-version]", VERSION_HELP)
    .option("-f, --force", "stop the job first if it runs; its id cannot be reused until the delete is done")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless delete 6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11",
        "peloton job stateless delete hello --force",
      ),
    )
    .action(async (job, version, o) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const reply = await clients.job.deleteJob({
        jobId: { value: jobId },
        version: entityVersion(version),
        force: o.force ?? false,
      });
      ctx.output().reply(replyType(JobServiceDefinition, "deleteJob"), reply, () => `Job ${jobId} deleted\n`);
    });

  stateless
    .command("refresh")
    .description("have the server reload the job from its database and act on it again (debugging)")
    .argument("<job>", "job id (or a name only one job has)")
    .addHelpText("after", examplesHelp("peloton job stateless refresh hello"))
    .action(async (job) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const reply = await clients.job.refreshJob({ jobId: { value: jobId } });
      ctx
        .output()
        .reply(replyType(JobServiceDefinition, "refreshJob"), reply, () => `Job ${jobId} refreshed\n`);
    });
}
