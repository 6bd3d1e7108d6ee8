import { posix } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { ResourcePoolSpec } from "../../gen/peloton/api/v1alpha/respool/respool.js";
import { ResourcePoolServiceDefinition } from "../../gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import type { Clients } from "../connection.js";
import { examplesHelp } from "../examples.js";
import { EXIT } from "../exit-codes.js";
import { messageType, replyType } from "../message-type.js";
import { Output } from "../output.js";
import { readSpecFile } from "../spec-file.js";
import { respoolIdAt } from "./job-options.js";

const PATH = "pool path from the root, e.g. /web";

const readPoolSpec = (path: string) =>
  readSpecFile(messageType("peloton.api.v1alpha.respool.ResourcePoolSpec", ResourcePoolSpec), path);

/** A pool argument: a path (it starts with /) looked up, or an id as it is. */
const poolId = (clients: Clients, pool: string) => (pool.startsWith("/") ? respoolIdAt(clients, pool) : pool);

/** The name a pool at `path` has: its last part; a spec naming it otherwise is refused. */
function nameAt(path: string, spec: ResourcePoolSpec): string {
  const name = posix.basename(path);
  if (!path.startsWith("/") || name === "")
    throw new CliError(`${path.slice(0, 80)} is not a pool path like /web`, EXIT.USAGE);
  if (spec.name && spec.name !== name) {
    throw new CliError(
      `the spec names the pool ${JSON.stringify(spec.name.slice(0, 80))}, the path ${JSON.stringify(name)}`,
      EXIT.USAGE,
    );
  }
  return name;
}

/** `respool create|get|lookup|update|delete|dump`: resource pools, specs in YAML. */
export function addRespoolCommands(program: Command, ctx: CommandContext): void {
  const respool = program.command("respool").description("manage resource pools");

  respool
    .command("create")
    .description("create a pool at a path from a YAML ResourcePoolSpec; its parent is the path's parent")
    .argument("<path>", PATH)
    .argument("<spec-file>", "YAML pool spec, written with ResourcePoolSpec's fields (snake_case)")
    .option("--id <id>", "the pool's id (the server makes one without it)")
    .addHelpText(
      "after",
      examplesHelp(
        "peloton respool create /web examples/respool.yaml",
        "peloton respool create /web/canary canary.yaml --id canary",
      ),
    )
    .action(async (path, specFile, o) => {
      const spec = readPoolSpec(specFile);
      spec.name = nameAt(path, spec);
      const clients = ctx.clients();
      spec.parent = { value: await respoolIdAt(clients, posix.dirname(path)) };
      const reply = await clients.respool.createResourcePool({
        respoolId: o.id ? { value: o.id } : undefined,
        spec,
      });
      ctx
        .output()
        .reply(
          replyType(ResourcePoolServiceDefinition, "createResourcePool"),
          reply,
          (r) => `Resource pool ${path} created (id ${r.respoolId?.value})\n`,
        );
    });

  respool
    .command("get")
    .description("show a pool: spec, parent, children, usage (YAML; --json for JSON)")
    .argument("<pool>", "pool path (e.g. /web) or id")
    .option("-c, --children", "its direct children too")
    .addHelpText("after", examplesHelp("peloton respool get /web", "peloton respool get / --children --json"))
    .action(async (pool, o) => {
      const clients = ctx.clients();
      const reply = await clients.respool.getResourcePool({
        respoolId: { value: await poolId(clients, pool) },
        includeChildPools: o.children ?? false,
      });
      ctx.output().reply(replyType(ResourcePoolServiceDefinition, "getResourcePool"), reply);
    });

  respool
    .command("lookup")
    .description("the id of the pool at a path")
    .argument("<path>", PATH)
    .addHelpText("after", examplesHelp("peloton respool lookup /web"))
    .action(async (path) => {
      const reply = await ctx.clients().respool.lookupResourcePoolID({ path: { value: path } });
      ctx
        .output()
        .reply(
          replyType(ResourcePoolServiceDefinition, "lookupResourcePoolID"),
          reply,
          (r) => `${r.respoolId?.value}\n`,
        );
    });

  respool
    .command("update")
    .description("replace a pool's spec from a YAML ResourcePoolSpec (name and parent default to the pool's)")
    .argument("<path>", PATH)
    .argument("<spec-file>", "YAML pool spec, written with ResourcePoolSpec's fields (snake_case)")
    .addHelpText("after", examplesHelp("peloton respool update /web examples/respool.yaml"))
    .action(async (path, specFile) => {
      const spec = readPoolSpec(specFile);
      spec.name = nameAt(path, spec);
      const clients = ctx.clients();
      const id = await respoolIdAt(clients, path);
      const { respool: current } = await clients.respool.getResourcePool({ respoolId: { value: id } });
      spec.parent ??= current?.parent;
      const reply = await clients.respool.updateResourcePool({ respoolId: { value: id }, spec });
      ctx
        .output()
        .reply(
          replyType(ResourcePoolServiceDefinition, "updateResourcePool"),
          reply,
          () => `Resource pool ${path} updated\n`,
        );
    });

  respool
    .command("delete")
    .description("delete a pool (a leaf without jobs)")
    .argument("<path>", PATH)
    .addHelpText("after", examplesHelp("peloton respool delete /web/canary"))
    .action(async (path) => {
      const clients = ctx.clients();
      const id = await respoolIdAt(clients, path);
      const reply = await clients.respool.deleteResourcePool({ respoolId: { value: id } });
      ctx
        .output()
        .reply(
          replyType(ResourcePoolServiceDefinition, "deleteResourcePool"),
          reply,
          () => `Resource pool ${path} deleted\n`,
        );
    });

  respool
    .command("dump")
    .description("every pool, as YAML with the protos' field names (--format json, or --json: JSON)")
    .addOption(
      new Option("--format <format>", "yaml or json").choices(["yaml", "yml", "json"]).default("yaml"),
    )
    .addHelpText("after", examplesHelp("peloton respool dump", "peloton respool dump --format json"))
    .action(async (o) => {
      const reply = await ctx.clients().respool.queryResourcePools({});
      const type = replyType(ResourcePoolServiceDefinition, "queryResourcePools");
      const output = o.format === "json" ? new Output(ctx.io, true) : ctx.output();
      output.reply(type, reply);
    });
}
