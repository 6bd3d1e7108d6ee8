import type { VolumeRecord } from "../../domain/volume.js";
import { AppError } from "../../lib/app-error.js";
import { volumeDeletion } from "../kinds/pod/volume-steps.js";
import type { Command } from "./command.js";

/**
 * DeleteVolume: FAILED_PRECONDITION while its pod has a run on a host. The instance's next run
 * may then go to any host. Answers the DELETED volume once stored.
 */
export const deleteVolume =
  (volumeId: string): Command<VolumeRecord> =>
  (tick, env) => {
    const volume = env.cache.volumes.byId(tick.volumes, volumeId);
    if (!volume) throw AppError.notFound(`volume ${volumeId} does not exist`);
    const step = volumeDeletion(volume, tick.pod(volume.jobId, volume.instance), tick.now);
    tick.volumes.set(step.volume);
    if (step.pod) tick.stagePod(step.pod, false);
    return step.volume;
  };
