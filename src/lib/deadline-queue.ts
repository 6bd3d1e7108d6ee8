/**
 * A queue of ids, each due at a deadline. An id is held at most once: enqueueing it again
 * keeps the earlier deadline. `popDue` hands out every id whose deadline has passed.
 * A binary heap with lazy deletion: superseded entries are skipped when they surface.
 */
export class DeadlineQueue<Id> {
  readonly #deadline = new Map<Id, number>();
  #heap: { at: number; id: Id }[] = [];

  get size(): number {
    return this.#deadline.size;
  }

  has(id: Id): boolean {
    return this.#deadline.has(id);
  }

  /** Schedules `id` at `at`, unless it is already due earlier. Returns true if the deadline moved. */
  enqueue(id: Id, at: number): boolean {
    const current = this.#deadline.get(id);
    if (current !== undefined && current <= at) return false;
    this.#deadline.set(id, at);
    this.#push({ at, id });
    return true;
  }

  /** The earliest deadline held, or undefined when empty. */
  peek(): number | undefined {
    this.#dropStale();
    return this.#heap[0]?.at;
  }

  /** Removes and returns the ids due at `now` or before, earliest first (at most `limit`). */
  popDue(now: number, limit = Number.POSITIVE_INFINITY): Id[] {
    const out: Id[] = [];
    for (;;) {
      this.#dropStale();
      const top = this.#heap[0];
      if (!top || top.at > now || out.length >= limit) return out;
      this.#pop();
      this.#deadline.delete(top.id);
      out.push(top.id);
    }
  }

  delete(id: Id): void {
    this.#deadline.delete(id);
  }

  #dropStale(): void {
    for (;;) {
      const top = this.#heap[0];
      if (!top || this.#deadline.get(top.id) === top.at) return;
      this.#pop();
    }
  }

  #push(e: { at: number; id: Id }): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= e.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
