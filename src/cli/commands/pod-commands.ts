import type { Command } from "@commander-js/extra-typings";
import type { PodEvent } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { PodServiceDefinition } from "../../gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { examplesHelp } from "../examples.js";
import { STATUS_CLASSES } from "../exit-codes.js";
import { replyType } from "../message-type.js";
import { renderTable } from "../table.js";
import { runOf } from "./pod-table.js";

const POD = "pod name: <job id>-<instance>";
const POD_EXAMPLE = "6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11-0";
const MESSAGE_WIDTH = 60;

const eventsTable = (events: readonly PodEvent[]): string =>
  events.length === 0
    ? "No events.\n"
    : renderTable(
        ["TIME", "RUN", "STATE", "GOAL", "HOST", "HEALTHY", "MESSAGE"],
        events.map((e) => {
          const why = [e.reason, e.message].filter(Boolean).join(": ");
          return [
            e.timestamp,
            runOf(e.podId?.value),
            e.actualState.replace(/^POD_STATE_/, ""),
            e.desiredState.replace(/^POD_STATE_/, ""),
            e.hostname || "-",
            e.healthy.replace(/^HEALTH_STATE_/, "") || "-",
            why.length > MESSAGE_WIDTH ? `${why.slice(0, MESSAGE_WIDTH - 1)}…` : why,
          ];
        }),
      );

type PodAction = "startPod" | "stopPod" | "restartPod" | "refreshPod";

/** `pod get|events|start|stop|restart|refresh|cache|logs`. */
export function addPodCommands(program: Command, ctx: CommandContext): void {
  const pod = program.command("pod").description("look at and act on single pods");

  pod
    .command("get")
    .description("show a pod's current run (spec and status) and its previous runs (YAML; --json for JSON)")
    .argument("<pod>", POD)
    .option("--statusonly", "status only, without the spec")
    .option("--currentonly", "the current run only")
    .addHelpText(
      "after",
      examplesHelp(
        `peloton pod get ${POD_EXAMPLE}`,
        `peloton pod get ${POD_EXAMPLE} --statusonly --currentonly`,
      ),
    )
    .action(async (name, o) => {
      const reply = await ctx
        .clients()
        .pod.getPod({ podName: { value: name }, statusOnly: o.statusonly ?? false });
      if (o.currentonly) reply.previous = [];
      ctx.output().reply(replyType(PodServiceDefinition, "getPod"), reply);
    });

  pod
    .command("events")
    .description("the state changes of a pod's run (the latest one without --id)")
    .argument("<pod>", POD)
    .option("-p, --id <pod-id>", "the run: <job id>-<instance>-<run>")
    .addHelpText(
      "after",
      examplesHelp(
        `peloton pod events ${POD_EXAMPLE}`,
        `peloton pod events ${POD_EXAMPLE} --id ${POD_EXAMPLE}-1`,
      ),
    )
    .action(async (name, o) => {
      const reply = await ctx.clients().pod.getPodEvents({
        podName: { value: name },
        podId: o.id ? { value: o.id } : undefined,
      });
      ctx
        .output()
        .reply(replyType(PodServiceDefinition, "getPodEvents"), reply, (r) => eventsTable(r.events));
    });

  const act = (verb: string, method: PodAction, description: string, done: string) =>
    pod
      .command(verb)
      .description(description)
      .argument("<pod>", POD)
      .addHelpText("after", examplesHelp(`peloton pod ${verb} ${POD_EXAMPLE}`))
      .action(async (name) => {
        const reply = await ctx.clients().pod[method]({ podName: { value: name } });
        ctx.output().reply(replyType(PodServiceDefinition, method), reply, () => `Pod ${name} ${done}\n`);
      });
  act("start", "startPod", "start a stopped pod (as a new run)", "starting");
  act("stop", "stopPod", "stop a pod", "stopping");
  act("restart", "restartPod", "kill a pod's run and start a new one", "restarting");
  act(
    "refresh",
    "refreshPod",
    "have the server reload the pod from its database and act on it again (debugging)",
    "refreshed",
  );

  pod
    .command("cache")
    .description("show the pod's status as the server's engine holds it (debugging)")
    .argument("<pod>", POD)
    .addHelpText("after", examplesHelp(`peloton pod cache ${POD_EXAMPLE}`))
    .action(async (name) => {
      const reply = await ctx.clients().pod.getPodCache({ podName: { value: name } });
      ctx.output().reply(replyType(PodServiceDefinition, "getPodCache"), reply);
    });

  pod
    .command("logs")
    .description(
      "list the files of a pod's sandbox (BrowsePodSandbox) and the agent that serves them; the simulated agents keep no file contents",
    )
    .argument("<pod>", POD)
    .option("-p, --id <pod-id>", "the run: <job id>-<instance>-<run> (default: the latest)")
    .option("-f, --filename <name>", "only the sandbox's files of this name, e.g. stdout")
    .addHelpText(
      "after",
      examplesHelp(`peloton pod logs ${POD_EXAMPLE}`, `peloton pod logs ${POD_EXAMPLE} --filename stderr`),
    )
    .action(async (name, o) => {
      const reply = await ctx.clients().pod.browsePodSandbox({
        podName: { value: name },
        podId: o.id ? { value: o.id } : undefined,
      });
      if (o.filename !== undefined) {
        const wanted = o.filename;
        reply.paths = reply.paths.filter((p) => p === wanted || p.endsWith(`/${wanted}`));
        if (reply.paths.length === 0) {
          throw new CliError(
            `the sandbox of ${name} has no file named ${JSON.stringify(wanted.slice(0, 80))}`,
            STATUS_CLASSES.notFound,
          );
        }
      }
      ctx
        .output()
        .reply(replyType(PodServiceDefinition, "browsePodSandbox"), reply, (r) =>
          [
            `Sandbox on ${r.hostname} (agent port ${r.port}; master ${r.mesosMasterHostname}:${r.mesosMasterPort}):`,
            ...r.paths,
            "",
          ].join("\n"),
        );
    });
}
