import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import type { CliIo } from "./cli-io.js";
import type { CommandContext } from "./command-context.js";
import { addCompletionCommand } from "./commands/completion-command.js";
import { addHostCommands } from "./commands/host-commands.js";
import { addJobCreate } from "./commands/job-create.js";
import { addJobGoals } from "./commands/job-goal.js";
import { addJobReads } from "./commands/job-read.js";
import { addJobUpdates } from "./commands/job-update.js";
import { addJobWorkflows } from "./commands/job-workflow.js";
import { addPodCommands } from "./commands/pod-commands.js";
import { addRespoolCommands } from "./commands/respool-commands.js";
import { addVolumeCommands } from "./commands/volume-commands.js";
import { addWatchCommands } from "./commands/watch-commands.js";
import { type Clients, openClients } from "./connection.js";
import { examplesHelp } from "./examples.js";
import { Output } from "./output.js";
import { packageRoot } from "./package-root.js";
import { parseDuration } from "./parse-args.js";

const version = (): string =>
  (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;

/** The `peloton` program: global options, every command, and the context their actions share. */
export function buildProgram(io: CliIo): { program: Command; close(): void } {
  const program = new Command("peloton")
    .description(
      "Command-line client of Peloton's v1alpha API (jobs, pods, resource pools, hosts, volumes, watch)",
    )
    .version(version(), "-V, --version")
    .addOption(
      new Option("-m, --jobmgr <host:port>", "job manager address")
        .env("PELOTON_JOBMGR")
        .default("localhost:5392"),
    )
    .addOption(
      new Option("-t, --timeout <duration>", "deadline of each call (e.g. 500ms, 20s, 1m)")
        .default(20_000, "20s")
        .argParser(parseDuration),
    )
    .option("-j, --json", "print replies as proto3 JSON (stable field names), nothing else on stdout")
    .option("--tls", "connect with TLS, trusting the system's CAs")
    .option("--tls-ca <file>", "connect with TLS, trusting this CA (PEM)")
    .option("--tls-cert <file>", "client certificate (PEM) for mutual TLS, with --tls-key")
    .option("--tls-key <file>", "private key (PEM) of --tls-cert")
    .addOption(new Option("--token <token>", "bearer token sent with every call").env("PELOTON_TOKEN"))
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton respool create /web examples/respool.yaml",
        "peloton job stateless create /web examples/job.yaml 1 --wait",
        "peloton job stateless list-pods hello",
        "peloton --jobmgr peloton.example.com:5392 --tls-ca ca.pem --token $TOKEN job stateless list --json",
      ),
    );

  let clients: Clients | undefined;
  let output: Output | undefined;
  const context: CommandContext = {
    io,
    clients() {
      const o = program.opts();
      clients ??= openClients({
        jobmgr: o.jobmgr,
        timeoutMs: o.timeout,
        tls: o.tls,
        tlsCa: o.tlsCa,
        tlsCert: o.tlsCert,
        tlsKey: o.tlsKey,
        token: o.token,
        signal: io.signal,
      });
      return clients;
    },
    output() {
      output ??= new Output(io, program.opts().json ?? false);
      return output;
    },
  };

  const job = program.command("job").description("manage jobs");
  const stateless = job.command("stateless").description("manage stateless jobs (services)");
  addJobCreate(stateless, context);
  addJobReads(stateless, context);
  addJobUpdates(stateless, context);
  addJobWorkflows(stateless, context);
  addJobGoals(stateless, context);
  addPodCommands(program, context);
  addRespoolCommands(program, context);
  addHostCommands(program, context);
  addVolumeCommands(program, context);
  addWatchCommands(program, context);
  addCompletionCommand(program, context);
  return { program, close: () => clients?.close() };
}
