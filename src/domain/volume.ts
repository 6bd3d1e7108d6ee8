/** States of a persistent volume (VolumeState without its INVALID zero value). */
export const VOLUME_STATES = ["INITIALIZED", "CREATED", "DELETED"] as const;
export type VolumeState = (typeof VOLUME_STATES)[number];

/** What a pod spec asks for: a volume mounted at `containerPath`, of `sizeMb` MB of disk. */
export interface VolumeSpec {
  readonly containerPath: string;
  readonly sizeMb: number;
}

/**
 * A persistent volume of one instance of a job, on the host its first run was placed on. While
 * it is not DELETED it holds `sizeMb` of that host's disk, and every later run of the instance
 * must go to that host.
 */
export interface VolumeRecord {
  /** A UUID (RFC 4122), as VolumeID is; a new one for each volume an instance gets. */
  readonly id: string;
  readonly jobId: string;
  readonly instance: number;
  readonly hostname: string;
  readonly state: VolumeState;
  readonly goal: VolumeState;
  readonly sizeMb: number;
  readonly containerPath: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const isLiveVolume = (v: VolumeRecord): boolean => v.state !== "DELETED";
