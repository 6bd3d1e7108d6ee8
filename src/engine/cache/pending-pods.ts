import type { KeyString } from "../loop/entity-key.js";

/**
 * The pods waiting for placement (PENDING), in the order they started waiting: the FIFO part of
 * PRIORITY_FIFO. `dirty` says a pod started waiting since the last scheduling round.
 */
export class PendingPods {
  readonly #seq = new Map<KeyString, number>();
  #next = 0;
  dirty = false;

  /** The pod is PENDING now (or not): keeps its place while it stays pending. */
  track(key: KeyString, pending: boolean): void {
    if (pending) {
      if (!this.#seq.has(key)) {
        this.#seq.set(key, this.#next++);
        this.dirty = true;
      }
    } else this.#seq.delete(key);
  }

  /** Its place in the queue; a pod staged PENDING in this tick (not committed yet) comes last. */
  seqOf(key: KeyString): number {
    return this.#seq.get(key) ?? this.#next++;
  }

  has(key: KeyString): boolean {
    return this.#seq.has(key);
  }

  keys(): IterableIterator<KeyString> {
    return this.#seq.keys();
  }

  get size(): number {
    return this.#seq.size;
  }

  clear(): void {
    this.#seq.clear();
  }
}
