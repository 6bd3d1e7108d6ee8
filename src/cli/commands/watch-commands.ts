import type { Command } from "@commander-js/extra-typings";
import type { JobSummary } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { PodSummary } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import {
  type WatchRequest,
  type WatchResponse,
  WatchServiceDefinition,
} from "../../gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { resolveJobId } from "../job-ref.js";
import { replyType } from "../message-type.js";
import { parseUint64 } from "../parse-args.js";
import { failureText } from "../report-error.js";
import { jobProgressOf } from "../wait/job-progress.js";
import { podsByState } from "../wait/progress-display.js";
import { resumableWatch } from "../watch/resumable-watch.js";
import { healthOf, podState, runOf } from "./pod-table.js";

const jobLine = (revision: string, j: JobSummary): string => {
  const p = jobProgressOf(j.jobId?.value ?? "", j.instanceCount, j.status);
  const w = p.workflow ? ` | ${p.workflow.type} ${p.workflow.state}` : "";
  return `${revision}  job ${p.jobId} ${j.name} ${p.state} (goal ${p.goal}) ${p.version} | ${podsByState(p.pods)}${w}\n`;
};

const podLine = (revision: string, pod: PodSummary): string => {
  const s = pod.status;
  const where = s?.host ? ` on ${s.host}` : "";
  const health = healthOf(s?.containersStatus ?? []);
  return `${revision}  pod ${pod.podName?.value} ${s ? podState(s.state) : "-"} (goal ${s ? podState(s.desiredState) : "-"}) run ${runOf(s?.podId?.value)}${where}${health === "-" ? "" : ` ${health}`}\n`;
};

/** A watch response in lines, one per object that changed (or that does not exist). */
export function watchLines(r: WatchResponse): string {
  return [
    ...r.statelessJobs.map((j) => jobLine(r.revision, j)),
    ...r.statelessJobsNotFound.map((id) => `${r.revision}  job ${id.value} not found\n`),
    ...r.pods.map((p) => podLine(r.revision, p)),
    ...r.podsNotFound.map((n) => `${r.revision}  pod ${n.value} not found\n`),
  ].join("");
}

const REVISION_HELP =
  "start after this revision (replaying what changed since); default: changes from now on";

async function follow(
  ctx: CommandContext,
  request: Partial<WatchRequest>,
  startRevision: string,
): Promise<void> {
  const clients = ctx.clients();
  const type = replyType(WatchServiceDefinition, "watch");
  const output = ctx.output();
  let announced = false;
  const stream = resumableWatch({
    open: (revision, signal) => clients.watch.watch({ ...request, startRevision: revision }, { signal }),
    clock: ctx.io.clock,
    signal: ctx.io.signal,
    startRevision,
    onReconnect: (e, ms, revision) =>
      ctx.io.stderr.write(
        `watch dropped (${failureText(e)}); resuming after revision ${revision} in ${ms} ms\n`,
      ),
  });
  for await (const response of stream) {
    if (!announced) {
      ctx.io.stderr.write(
        `Watching (watch ${response.watchId}, revision ${response.revision}); Ctrl-C ends it\n`,
      );
      announced = true;
    }
    output.streamed(type, response, watchLines);
  }
}

/** `watch job|pod|cancel`: changes as they are committed, until interrupted. */
export function addWatchCommands(program: Command, ctx: CommandContext): void {
  const watch = program
    .command("watch")
    .description(
      "stream changes to jobs or pods until interrupted; resumes from the last revision after a disconnect",
    );

  watch
    .command("job")
    .description(
      "stream changes to the given jobs (every job when none is given); --json: one WatchResponse per line",
    )
    .argument("[jobs...]", "job ids (or names only one job has)")
    .option("--revision <revision>", REVISION_HELP, parseUint64, "0")
    .addHelpText(
      "after",
      examplesHelp("peloton watch job", "peloton watch job hello --json", "peloton watch job --revision 120"),
    )
    .action(async (jobs, o) => {
      const clients = ctx.clients();
      const jobIds = await Promise.all(jobs.map(async (j) => ({ value: await resolveJobId(clients, j) })));
      await follow(ctx, { statelessJobFilter: { jobIds } }, o.revision);
    });

  watch
    .command("pod")
    .description(
      "stream changes to a job's pods (the given ones, or all); --json: one WatchResponse per line",
    )
    .argument("<job>", "job id (or a name only one job has)")
    .argument("[pods...]", "pod names: <job id>-<instance>")
    .option("--revision <revision>", REVISION_HELP, parseUint64, "0")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton watch pod hello",
        "peloton watch pod hello 6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11-0",
      ),
    )
    .action(async (job, pods, o) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      await follow(
        ctx,
        { podFilter: { jobId: { value: jobId }, podNames: pods.map((value) => ({ value })) } },
        o.revision,
      );
    });

  watch
    .command("cancel")
    .description("end a watch by its id (its stream ends with CANCELLED)")
    .argument("<watch-id>", "the id a watch announced", parseUint64)
    .addHelpText("after", examplesHelp("peloton watch cancel 7"))
    .action(async (watchId) => {
      const reply = await ctx.clients().watch.cancel({ watchId });
      ctx
        .output()
        .reply(replyType(WatchServiceDefinition, "cancel"), reply, () => `Watch ${watchId} cancelled\n`);
    });
}
