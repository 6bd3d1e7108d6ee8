import { isLiveVolume, type VolumeRecord } from "../../domain/volume.js";

const keyOf = (jobId: string, instance: number) => `${jobId}:${instance}`;

/** No staged volumes: lookups as committed. */
export const NO_STAGED: ReadonlyMap<string, VolumeRecord> = new Map();

/**
 * The volumes that are not DELETED, one per instance at most, as committed. Lookups take the
 * volumes a tick has staged (by id) and answer as that tick sees them.
 */
export class VolumeCache {
  readonly #byPod = new Map<string, VolumeRecord>();

  load(volumes: readonly VolumeRecord[]): void {
    for (const v of volumes) if (isLiveVolume(v)) this.#byPod.set(keyOf(v.jobId, v.instance), v);
  }

  /** Takes committed changes: new and changed volumes stay, deleted ones go. */
  apply(changes: Iterable<VolumeRecord>): void {
    for (const v of changes) {
      const key = keyOf(v.jobId, v.instance);
      if (isLiveVolume(v)) this.#byPod.set(key, v);
      else if (this.#byPod.get(key)?.id === v.id) this.#byPod.delete(key);
    }
  }

  dropJob(jobId: string): void {
    for (const [key, v] of this.#byPod) if (v.jobId === jobId) this.#byPod.delete(key);
  }

  /** The instance's volume, if it has one that is not DELETED. */
  current(
    staged: ReadonlyMap<string, VolumeRecord>,
    jobId: string,
    instance: number,
  ): VolumeRecord | undefined {
    let found = this.#byPod.get(keyOf(jobId, instance));
    if (staged.size === 0) return found;
    if (found && staged.has(found.id)) found = staged.get(found.id);
    for (const v of staged.values())
      if (v.jobId === jobId && v.instance === instance && isLiveVolume(v)) found = v;
    return found && isLiveVolume(found) ? found : undefined;
  }

  /** A volume that is not DELETED, by id. */
  byId(staged: ReadonlyMap<string, VolumeRecord>, id: string): VolumeRecord | undefined {
    const s = staged.get(id);
    if (s) return isLiveVolume(s) ? s : undefined;
    for (const v of this.#byPod.values()) if (v.id === id) return v;
    return undefined;
  }

  /** Every volume that is not DELETED. */
  *live(staged: ReadonlyMap<string, VolumeRecord>): Generator<VolumeRecord> {
    for (const v of this.#byPod.values()) if (!staged.has(v.id)) yield v;
    for (const v of staged.values()) if (isLiveVolume(v)) yield v;
  }
}
