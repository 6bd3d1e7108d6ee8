import type { Command } from "@commander-js/extra-typings";
import { VolumeServiceDefinition } from "../../gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { volumeStateToJSON } from "../../gen/peloton/api/v1alpha/volume/volume.js";
import type { CommandContext } from "../command-context.js";
import { enumName } from "../enum-name.js";
import { examplesHelp } from "../examples.js";
import { resolveJobId } from "../job-ref.js";
import { replyType } from "../message-type.js";
import { renderTable } from "../table.js";

const VOLUME_EXAMPLE = "2b1c9d4e-7a3f-4e21-9c8b-5d6e7f8a9b0c";

/** `volume list|get|delete`: persistent volumes. */
export function addVolumeCommands(program: Command, ctx: CommandContext): void {
  const volume = program.command("volume").description("persistent volumes of pods");

  volume
    .command("list")
    .description("a job's volumes: id, pod, host, state, size, mount path")
    .argument("<job>", "job id (or a name only one job has)")
    .addHelpText("after", examplesHelp("peloton volume list hello", "peloton volume list hello --json"))
    .action(async (job) => {
      const clients = ctx.clients();
      const reply = await clients.volume.listVolumes({ jobId: { value: await resolveJobId(clients, job) } });
      ctx.output().reply(replyType(VolumeServiceDefinition, "listVolumes"), reply, (r) => {
        const volumes = Object.values(r.volumes).sort((a, b) =>
          (a.podName?.value ?? "").localeCompare(b.podName?.value ?? "", "en", { numeric: true }),
        );
        if (volumes.length === 0) return "No volumes.\n";
        return renderTable(
          ["VOLUME", "POD", "HOST", "STATE", "SIZE_MB", "PATH"],
          volumes.map((v) => [
            v.volumeId?.value ?? "",
            v.podName?.value ?? "",
            v.hostname || "-",
            enumName(volumeStateToJSON, "VOLUME_STATE_", v.state),
            v.sizeMb,
            v.containerPath,
          ]),
        );
      });
    });

  volume
    .command("get")
    .description("show a volume (YAML; --json for JSON)")
    .argument("<volume>", "volume id")
    .addHelpText("after", examplesHelp(`peloton volume get ${VOLUME_EXAMPLE}`))
    .action(async (id) => {
      const reply = await ctx.clients().volume.getVolume({ volumeId: { value: id } });
      ctx.output().reply(replyType(VolumeServiceDefinition, "getVolume"), reply);
    });

  volume
    .command("delete")
    .description("delete a volume whose pod is stopped (its next run may go to any host)")
    .argument("<volume>", "volume id")
    .addHelpText("after", examplesHelp(`peloton volume delete ${VOLUME_EXAMPLE}`))
    .action(async (id) => {
      const reply = await ctx.clients().volume.deleteVolume({ volumeId: { value: id } });
      ctx
        .output()
        .reply(replyType(VolumeServiceDefinition, "deleteVolume"), reply, () => `Volume ${id} deleted\n`);
    });
}
