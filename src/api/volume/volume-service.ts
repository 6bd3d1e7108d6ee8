import type { VolumeServiceImplementation } from "../../gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { AppError } from "../../lib/app-error.js";
import { isUuid, required } from "../fields.js";
import type { JobQueries, VolumeCommands, VolumeQueries } from "../ports.js";
import { volumeInfo } from "./convert.js";

export interface VolumeServiceDeps {
  readonly engine: VolumeCommands;
  readonly volumes: VolumeQueries;
  readonly jobs: Pick<JobQueries, "get">;
}

/** A UUID field: present, and a UUID (INVALID_ARGUMENT naming the field otherwise). */
const uuidField = (value: string | undefined, field: string): string => {
  const id = required(value, field);
  if (!isUuid(id)) throw AppError.invalid(field, `"${id}" is not a UUID`);
  return id.toLowerCase();
};

/**
 * peloton.api.v1alpha.volume.svc.VolumeService. Reads come from the store; DeleteVolume goes
 * through the engine, which alone writes volumes (and knows whether the pod is on a host).
 */
export function volumeService(deps: VolumeServiceDeps): VolumeServiceImplementation {
  const { engine, volumes, jobs } = deps;

  const load = async (id: string) => {
    const volume = await volumes.get(id);
    if (!volume) throw AppError.notFound(`volume ${id} does not exist`);
    return volume;
  };

  return {
    async listVolumes(req) {
      const jobId = uuidField(req.jobId?.value, "job_id.value");
      if (!(await jobs.get(jobId))) throw AppError.notFound(`job ${jobId} does not exist`);
      const list = await volumes.listByJob(jobId);
      return { volumes: Object.fromEntries(list.map((v) => [v.id, volumeInfo(v)])) };
    },

    async getVolume(req) {
      const volume = await load(uuidField(req.volumeId?.value, "volume_id.value"));
      return { result: volumeInfo(volume) };
    },

    async deleteVolume(req) {
      const volume = await load(uuidField(req.volumeId?.value, "volume_id.value"));
      // Deleting a deleted volume changes nothing.
      if (volume.state !== "DELETED") await engine.deleteVolume(volume.id);
      return {};
    },
  };
}
