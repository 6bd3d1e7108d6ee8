import type { Command } from "@commander-js/extra-typings";
import { HostState, hostStateToJSON } from "../../gen/peloton/api/v1alpha/host/host.js";
import { HostServiceDefinition } from "../../gen/peloton/api/v1alpha/host/svc/host_svc.js";
import type { CommandContext } from "../command-context.js";
import { enumName } from "../enum-name.js";
import { examplesHelp } from "../examples.js";
import { replyType } from "../message-type.js";
import { enumParser, parseList } from "../parse-args.js";
import { renderTable } from "../table.js";

const HOSTNAMES = "host names, comma- or space-separated";

/** Host names given as `a,b c` (Peloton's CLI takes one comma-separated argument). */
const hostnamesOf = (args: readonly string[]): string[] => args.flatMap(parseList);

/** `host query` and `host maintenance start|complete`. */
export function addHostCommands(program: Command, ctx: CommandContext): void {
  const host = program.command("host").description("hosts and their maintenance");

  host
    .command("query")
    .description("list hosts with their state (all, or those in the given states)")
    .option(
      "-s, --states <states>",
      "host states, e.g. up,draining,down",
      enumParser<HostState>(HostState, "HOST_STATE_"),
    )
    .addHelpText(
      "after",
      examplesHelp("peloton host query", "peloton host query --states draining,drained,down"),
    )
    .action(async (o) => {
      const reply = await ctx.clients().host.queryHosts({ hostStates: o.states ?? [] });
      ctx.output().reply(replyType(HostServiceDefinition, "queryHosts"), reply, (r) =>
        r.hostInfos.length === 0
          ? "No hosts.\n"
          : renderTable(
              ["HOST", "IP", "STATE"],
              r.hostInfos.map((h) => [
                h.hostname,
                h.ip || "-",
                enumName(hostStateToJSON, "HOST_STATE_", h.state),
              ]),
            ),
      );
    });

  const maintenance = host.command("maintenance").description("take hosts out of the fleet and back");
  maintenance
    .command("start")
    .description("drain hosts (UP → DRAINING → DRAINED → DOWN), moving their pods off within each job's SLA")
    .argument("<hostnames...>", HOSTNAMES)
    .addHelpText(
      "after",
      examplesHelp(
        "peloton host maintenance start host-0009",
        "peloton host maintenance start host-0008,host-0009",
      ),
    )
    .action(async (names) => {
      const hostnames = hostnamesOf(names);
      const reply = await ctx.clients().host.startMaintenance({ hostnames });
      ctx
        .output()
        .reply(
          replyType(HostServiceDefinition, "startMaintenance"),
          reply,
          () => `Maintenance started on ${hostnames.join(", ")}\n`,
        );
    });
  maintenance
    .command("complete")
    .description("bring DOWN hosts back UP")
    .argument("<hostnames...>", HOSTNAMES)
    .addHelpText("after", examplesHelp("peloton host maintenance complete host-0009"))
    .action(async (names) => {
      const hostnames = hostnamesOf(names);
      const reply = await ctx.clients().host.completeMaintenance({ hostnames });
      ctx
        .output()
        .reply(
          replyType(HostServiceDefinition, "completeMaintenance"),
          reply,
          () => `Maintenance completed on ${hostnames.join(", ")}\n`,
        );
    });
}
