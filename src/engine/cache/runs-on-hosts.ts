import { isOnHost, type PodRuntime } from "../../domain/pod.js";

const hostOf = (p: PodRuntime | undefined): string | undefined =>
  p?.host && isOnHost(p.state) ? p.host : undefined;

/**
 * How many runs of the engine's pods each host holds (placed, running or being killed), kept up
 * to date as pods change, so that a drain asks for a host's count without walking every pod.
 */
export class RunsOnHosts {
  readonly #count = new Map<string, number>();

  /** A pod changed from `before` to `after` (absent before it existed, or after its job went). */
  move(before: PodRuntime | undefined, after: PodRuntime | undefined): void {
    const from = hostOf(before);
    const to = hostOf(after);
    if (from === to) return;
    if (from !== undefined) {
      const n = (this.#count.get(from) ?? 0) - 1;
      if (n > 0) this.#count.set(from, n);
      else this.#count.delete(from);
    }
    if (to !== undefined) this.#count.set(to, (this.#count.get(to) ?? 0) + 1);
  }

  clear(): void {
    this.#count.clear();
  }

  on(hostname: string): number {
    return this.#count.get(hostname) ?? 0;
  }
}
