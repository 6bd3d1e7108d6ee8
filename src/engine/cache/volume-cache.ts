import { isLiveVolume, type VolumeRecord } from "../../domain/volume.js";

const keyOf = (jobId: string, instance: number) => `${jobId}:${instance}`;

/**
 * The volumes a tick has created or changed, by id and by instance (the latest of each
 * instance), so that a round placing thousands of pods with volumes looks each one up directly.
 */
export class StagedVolumes {
  readonly #byId = new Map<string, VolumeRecord>();
  readonly #byPod = new Map<string, VolumeRecord>();

  constructor(volumes: Iterable<VolumeRecord> = []) {
    for (const v of volumes) this.set(v);
  }

  get size(): number {
    return this.#byId.size;
  }

  set(v: VolumeRecord): void {
    this.#byId.set(v.id, v);
    this.#byPod.set(keyOf(v.jobId, v.instance), v);
  }

  get(id: string): VolumeRecord | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The instance's latest staged volume, DELETED or not. */
  forPod(jobId: string, instance: number): VolumeRecord | undefined {
    return this.#byPod.get(keyOf(jobId, instance));
  }

  values(): IterableIterator<VolumeRecord> {
    return this.#byId.values();
  }
}

/** No staged volumes: lookups as committed. */
export const NO_STAGED = new StagedVolumes();

/**
 * The volumes that are not DELETED, one per instance at most, as committed. Lookups take the
 * volumes a tick has staged (by id) and answer as that tick sees them.
 */
export class VolumeCache {
  readonly #byPod = new Map<string, VolumeRecord>();

  clear(): void {
    this.#byPod.clear();
  }

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
  current(staged: StagedVolumes, jobId: string, instance: number): VolumeRecord | undefined {
    const fresh = staged.forPod(jobId, instance);
    if (fresh && isLiveVolume(fresh)) return fresh;
    const committed = this.#byPod.get(keyOf(jobId, instance));
    const found = committed && (staged.get(committed.id) ?? committed);
    return found && isLiveVolume(found) ? found : undefined;
  }

  /** A volume that is not DELETED, by id. */
  byId(staged: StagedVolumes, id: string): VolumeRecord | undefined {
    const s = staged.get(id);
    if (s) return isLiveVolume(s) ? s : undefined;
    for (const v of this.#byPod.values()) if (v.id === id) return v;
    return undefined;
  }

  /** Every volume that is not DELETED. */
  *live(staged: StagedVolumes): Generator<VolumeRecord> {
    for (const v of this.#byPod.values()) if (!staged.has(v.id)) yield v;
    for (const v of staged.values()) if (isLiveVolume(v)) yield v;
  }
}
