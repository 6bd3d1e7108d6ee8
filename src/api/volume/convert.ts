import { podName } from "../../domain/pod.js";
import type { VolumeState as DomainVolumeState, VolumeRecord } from "../../domain/volume.js";
import { type PersistentVolumeInfo, VolumeState } from "../../gen/peloton/api/v1alpha/volume/volume.js";
import { rfc3339 } from "../fields.js";

const PROTO_VOLUME_STATE: Record<DomainVolumeState, VolumeState> = {
  INITIALIZED: VolumeState.VOLUME_STATE_INITIALIZED,
  CREATED: VolumeState.VOLUME_STATE_CREATED,
  DELETED: VolumeState.VOLUME_STATE_DELETED,
};

export const volumeInfo = (v: VolumeRecord): PersistentVolumeInfo => ({
  volumeId: { value: v.id },
  podName: { value: podName(v.jobId, v.instance) },
  hostname: v.hostname,
  state: PROTO_VOLUME_STATE[v.state],
  desiredState: PROTO_VOLUME_STATE[v.goal],
  sizeMb: v.sizeMb,
  containerPath: v.containerPath,
  createTime: rfc3339(v.createdAt),
  updateTime: rfc3339(v.updatedAt),
});
