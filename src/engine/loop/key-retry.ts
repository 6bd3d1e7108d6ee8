import { backoffMs } from "../../lib/backoff.js";

/**
 * Per-key failures: a key whose decision threw is retried after min(base·2^(n−1), cap) for its
 * n-th failure in a row, so one poison entity backs off alone while the others go on. A key
 * that decides cleanly starts from nothing again.
 */
export class KeyRetry<K> {
  readonly #failures = new Map<K, number>();

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  /** Records a failure; answers how long to wait before the next try. */
  fail(key: K): number {
    const n = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, n);
    return backoffMs(n, this.baseMs, this.capMs);
  }

  succeed(key: K): void {
    if (this.#failures.size > 0) this.#failures.delete(key);
  }

  failures(key: K): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Keys failing now. */
  get size(): number {
    return this.#failures.size;
  }
}
