import type { Command } from "@commander-js/extra-typings";
import { JobState, type JobSummary } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import {
  JobServiceDefinition,
  ListJobsResponse,
  ListPodsResponse,
} from "../../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { PodSummary } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { OrderBy_Order } from "../../gen/peloton/api/v1alpha/query/query.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { resolveJobId } from "../job-ref.js";
import { messageType, replyType } from "../message-type.js";
import { enumParser, parseInstanceRange, parseLabels, parseList, parseUint } from "../parse-args.js";
import { jobsTable } from "./job-table.js";
import { podsTable } from "./pod-table.js";

const DAY_MS = 86_400_000;

/** get, cache, list, query and list-pods: the job commands that only read. */
export function addJobReads(stateless: Command, ctx: CommandContext): void {
  stateless
    .command("get")
    .description("show a job's spec and status (YAML; --json for the reply's JSON)")
    .argument("<job>", "job id (or a name only one job has)")
    .option("--jobversion <version>", "the spec of this entity version's configuration, without status")
    .option("--summaryonly", "only the job's summary")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless get 6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11",
        "peloton job stateless get hello --summaryonly",
        "peloton job stateless get hello --jobversion 1-1-1 --json",
      ),
    )
    .action(async (job, o) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const reply = await clients.job.getJob({
        jobId: { value: jobId },
        version: o.jobversion ? { value: o.jobversion } : undefined,
        summaryOnly: o.summaryonly ?? false,
      });
      ctx.output().reply(replyType(JobServiceDefinition, "getJob"), reply);
    });

  stateless
    .command("cache")
    .description("show the job as the server's engine holds it (debugging)")
    .argument("<job>", "job id (or a name only one job has)")
    .addHelpText("after", examplesHelp("peloton job stateless cache 6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11"))
    .action(async (job) => {
      const clients = ctx.clients();
      const reply = await clients.job.getJobCache({ jobId: { value: await resolveJobId(clients, job) } });
      ctx.output().reply(replyType(JobServiceDefinition, "getJobCache"), reply);
    });

  stateless
    .command("list")
    .description("list every job (streamed by the server; --json prints one ListJobsResponse with them all)")
    .addHelpText(
      "after",
      examplesHelp("peloton job stateless list", "peloton job stateless list --json | jq -r '.jobs[].name'"),
    )
    .action(async () => {
      const jobs: JobSummary[] = [];
      for await (const batch of ctx.clients().job.listJobs({})) jobs.push(...batch.jobs);
      const type = messageType("peloton.api.v1alpha.job.stateless.svc.ListJobsResponse", ListJobsResponse);
      ctx.output().reply(type, { jobs }, (r) => jobsTable(r.jobs));
    });

  const jobStates = enumParser<JobState>(JobState, "JOB_STATE_");
  stateless
    .command("query")
    .description(
      "query jobs by labels, pool, keywords, states, owner, name and creation time, a page at a time",
    )
    .option("-l, --labels <k=v,...>", "labels every job must have", parseLabels)
    .option("-r, --respool <path>", "jobs in the pool at this path or below it")
    .option(
      "-k, --keywords <words>",
      "words every job must contain (name, owner, description, labels)",
      parseList,
    )
    .option("-s, --states <states>", "job states, e.g. running,killed", jobStates)
    .option("--owner <owner>", "exact owner")
    .option("--name <name>", "name, partial matches too")
    .option("-d, --timerange <days>", "jobs created in the last <days> days", parseUint)
    .option("-n, --limit <n>", "page size (server default 100, at most 1000)", parseUint)
    .option("-q, --total <n>", "matches considered at most (max_limit)", parseUint)
    .option("-o, --offset <n>", "matches skipped before the page", parseUint)
    .option("-p, --sort <property>", "creation_time, completion_time, name, owner or state")
    .option("-a, --sortorder <order>", "ASC or DESC (newest first without --sort)")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless query --owner me --labels app=hello",
        "peloton job stateless query -s running -p name -a ASC -n 20",
        "peloton job stateless query -r /web -k canary -d 7 --json",
      ),
    )
    .action(async (o) => {
      const order = o.sortorder?.toUpperCase();
      const reply = await ctx.clients().job.queryJobs({
        spec: {
          labels: o.labels ?? [],
          keywords: o.keywords ?? [],
          jobStates: o.states ?? [],
          respool: o.respool ? { value: o.respool } : undefined,
          owner: o.owner ?? "",
          name: o.name ?? "",
          creationTimeRange:
            o.timerange === undefined
              ? undefined
              : { min: new Date(ctx.io.clock.now() - o.timerange * DAY_MS) },
          pagination: {
            limit: o.limit ?? 0,
            maxLimit: o.total ?? 0,
            offset: o.offset ?? 0,
            orderBy:
              o.sort || order
                ? [
                    {
                      property: { value: o.sort ?? "creation_time" },
                      order: order === "ASC" ? OrderBy_Order.ORDER_BY_ASC : OrderBy_Order.ORDER_BY_DESC,
                    },
                  ]
                : [],
          },
        },
      });
      ctx.output().reply(replyType(JobServiceDefinition, "queryJobs"), reply, (r) => {
        const p = r.pagination;
        const page = p ? `${r.records.length} of ${p.total} (offset ${p.offset})\n` : "";
        return `${jobsTable(r.records)}${page}`;
      });
    });

  stateless
    .command("list-pods")
    .description("list a job's pods with their state, run, host and health")
    .argument("<job>", "job id (or a name only one job has)")
    .option("-r, --range <from:to>", "instances [from, to) only, e.g. 0:10, 5:", parseInstanceRange)
    .addHelpText(
      "after",
      examplesHelp(
        "peloton job stateless list-pods hello",
        "peloton job stateless list-pods hello --range 0:2 --json",
      ),
    )
    .action(async (job, o) => {
      const clients = ctx.clients();
      const jobId = await resolveJobId(clients, job);
      const pods: PodSummary[] = [];
      for await (const batch of clients.job.listPods({ jobId: { value: jobId }, range: o.range })) {
        pods.push(...batch.pods);
      }
      const type = messageType("peloton.api.v1alpha.job.stateless.svc.ListPodsResponse", ListPodsResponse);
      ctx.output().reply(type, { pods }, (r) => podsTable(r.pods));
    });
}
