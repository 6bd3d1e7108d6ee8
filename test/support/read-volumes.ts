import { VolumeState } from "../../src/gen/peloton/api/v1alpha/volume/volume.js";
import type { Unprefixed } from "./read-pods.js";
import type { TestServer } from "./server.js";

export type VolumeStateName = Unprefixed<keyof typeof VolumeState, "VOLUME_STATE_">;

/** What a test asks of a persistent volume, decoded from the PersistentVolumeInfo the API answers. */
export interface VolumeView {
  readonly id: string;
  readonly podName: string;
  readonly hostname: string;
  readonly state: VolumeStateName;
  readonly goal: VolumeStateName;
  readonly sizeMb: number;
}

const stateName = (v: VolumeState) => VolumeState[v]!.slice("VOLUME_STATE_".length) as VolumeStateName;

/** Every volume of a job, through ListVolumes (NOT_FOUND for an unknown job fails the call). */
export async function volumesOf(s: TestServer, jobId: string): Promise<VolumeView[]> {
  const { volumes } = await s.volume.listVolumes({ jobId: { value: jobId } });
  return Object.values(volumes).map((v) => ({
    id: v.volumeId!.value,
    podName: v.podName!.value,
    hostname: v.hostname,
    state: stateName(v.state),
    goal: stateName(v.desiredState),
    sizeMb: v.sizeMb,
  }));
}

/**
 * The persistent volume an instance has (not DELETED), through ListVolumes; undefined when it
 * has none. An instance with two such volumes fails the call.
 */
export async function volumeOf(
  s: TestServer,
  jobId: string,
  instance: number,
): Promise<VolumeView | undefined> {
  const live = (await volumesOf(s, jobId)).filter(
    (v) => v.podName === `${jobId}-${instance}` && v.state !== "DELETED",
  );
  if (live.length > 1) throw new Error(`pod ${jobId}-${instance} has ${live.length} volumes not deleted`);
  return live[0];
}
