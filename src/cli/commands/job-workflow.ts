import type { Command } from "@commander-js/extra-typings";
import {
  type WorkflowEvent,
  type WorkflowInfo,
  workflowStateToJSON,
  workflowTypeToJSON,
} from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { JobServiceDefinition } from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { CommandContext } from "../command-context.js";
import { enumName } from "../enum-name.js";
import { examplesHelp } from "../examples.js";
import { resolveJobId } from "../job-ref.js";
import { replyType } from "../message-type.js";
import { collectRange, parseUint } from "../parse-args.js";
import { renderTable } from "../table.js";
import { workflowGoal } from "../wait/wait-goal.js";
import { WAIT_HELP, waitForGoal, waitTimeoutOption } from "../wait/wait-option.js";
import { entityVersion, opaque, opaqueData } from "./job-options.js";

const workflowType = (t: WorkflowEvent["type"]) => enumName(workflowTypeToJSON, "WORKFLOW_TYPE_", t);
const workflowState = (s: WorkflowEvent["state"]) => enumName(workflowStateToJSON, "WORKFLOW_STATE_", s);

function updatesTable(infos: readonly WorkflowInfo[]): string {
  if (infos.length === 0) return "No updates.\n";
  return renderTable(
    ["TYPE", "STATE", "DONE", "FAILED", "REMAINING", "VERSION", "FROM", "CREATED"],
    infos.map(({ status: s }) => [
      s ? workflowType(s.type) : "-",
      s ? workflowState(s.state) : "-",
      s?.numInstancesCompleted ?? 0,
      s?.numInstancesFailed ?? 0,
      s?.numInstancesRemaining ?? 0,
      s?.version?.value || "-",
      s?.prevVersion?.value || "-",
      s?.creationTime || "-",
    ]),
  );
}

const eventsTable = (events: readonly WorkflowEvent[]): string =>
  events.length === 0
    ? "No workflow events.\n"
    : renderTable(
        ["TIME", "TYPE", "STATE"],
        events.map((e) => [e.timestamp, workflowType(e.type), workflowState(e.state)]),
      );

type Steer = "pauseJobWorkflow" | "resumeJobWorkflow" | "abortJobWorkflow";

/** restart, list-updates and `workflow pause|resume|abort|events`: a job's workflows. */
export function addJobWorkflows(stateless: Command, ctx: CommandContext): void {
  stateless
    .command("restart")
    .description("restart a job's pods (all, or the --range ones) as a rolling restart")
    .argument("<job>", "job id (or a name only one job has)")
    .argument("<entity-version>", "entity version you last saw (ABORTED if the job moved on)")
    .option(
      "-r, --range <from:to>",
      "instances [from, to) to restart; repeat it for more (default: all)",
      collectRange,
    )
    .option("--batch-size <n>", "instances restarted at a time (0: all at once)", parseUint, 0)
    .addOption(opaqueData())
    .option("--wait", WAIT_HELP)
    .addOption(waitTimeoutOption())
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless restart hello 1-1-1",
        "peloton job stateless restart hello 1-1-1 --range 0:2 --batch-size 1 --wait",
      ),
    )
    .action(async (job, version, o) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const reply = await clients.job.restartJob({
        jobId: { value: jobId },
        version: { value: version },
        batchSize: o.batchSize,
        ranges: o.range ?? [],
        opaqueData: opaque(o.opaqueData),
      });
      const next = reply.version?.value ?? "";
      ctx
        .output()
        .reply(
          replyType(JobServiceDefinition, "restartJob"),
          reply,
          () => `Job ${jobId} restarting (entity version ${next})\n`,
        );
      if (o.wait) await waitForGoal(ctx, jobId, workflowGoal("restart workflow", next), o.waitTimeout);
    });

  stateless
    .command("list-updates")
    .description("list a job's current and past workflows (updates, restarts, its creation)")
    .argument("<job>", "job id (or a name only one job has)")
    .option("--limit <n>", "the newest <n> only", parseUint)
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless list-updates hello",
        "peloton job stateless list-updates hello --limit 1 --json",
      ),
    )
    .action(async (job, o) => {
      const clients = ctx.clients();
      const reply = await clients.job.listJobUpdates({ jobId: { value: await resolveJobId(clients, job) } });
      if (o.limit !== undefined) reply.workflowInfos = reply.workflowInfos.slice(0, o.limit);
      ctx
        .output()
        .reply(replyType(JobServiceDefinition, "listJobUpdates"), reply, (r) =>
          updatesTable(r.workflowInfos),
        );
    });

  const workflow = stateless
    .command("workflow")
    .description("steer a job's running workflow, or read its events");
  const steer = (name: string, method: Steer, what: string, done: string) =>
    workflow
      .command(name)
      .description(`${what} the job's running workflow (with none, or nothing to do, nothing changes)`)
      .argument("<job>", "job id (or a name only one job has)")
      .argument("[entity-version]", "entity version you last saw (ABORTED if the job moved on); none: any")
      .addOption(opaqueData())
      .addHelpText(
        "after",
        examplesHelp(
          `peloton job stateless workflow ${name} hello`,
          `peloton job stateless workflow ${name} hello 1-1-1 --opaque-data ticket-42`,
        ),
      )
      .action(async (job, version, o) => {
        const clients = ctx.clients();
        const jobId = await resolveJobId(clients, job);
        const request = {
          jobId: { value: jobId },
          version: entityVersion(version),
          opaqueData: opaque(o.opaqueData),
        };
        const reply = await clients.job[method](request);
        ctx
          .output()
          .reply(
            replyType(JobServiceDefinition, method),
            reply,
            (r) => `Workflow of job ${jobId} ${done} (entity version ${r.version?.value})\n`,
          );
      });
  steer("pause", "pauseJobWorkflow", "pause", "paused");
  steer("resume", "resumeJobWorkflow", "resume", "resumed");
  steer("abort", "abortJobWorkflow", "abort", "aborted");

  workflow
    .command("events")
    .description("the state changes of the job's current or last workflow, for one instance")
    .argument("<job>", "job id (or a name only one job has)")
    .argument("<instance>", "instance id", parseUint)
    .addHelpText("after", examplesHelp("peloton job stateless workflow events hello 0"))
    .action(async (job, instance) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const reply = await clients.job.getWorkflowEvents({ jobId: { value: jobId }, instanceId: instance });
      ctx
        .output()
        .reply(replyType(JobServiceDefinition, "getWorkflowEvents"), reply, (r) => eventsTable(r.events));
    });
}
