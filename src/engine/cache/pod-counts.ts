import type { PodRuntime, PodState } from "../../domain/pod.js";

/**
 * How many of a job's pods are in each state and on each configuration version, kept as pods
 * change: what JobStatus.pod_stats and pod_configuration_version_stats show, from the same
 * committed state as the pods themselves.
 */
export class PodCounts {
  readonly #byState = new Map<PodState, number>();
  readonly #byVersion = new Map<number, number>();
  #total = 0;

  /** A pod changed from `before` to `after` (absent before it existed, or after it went). */
  move(before: PodRuntime | undefined, after: PodRuntime | undefined): void {
    if (before === after) return;
    if (before) {
      bump(this.#byState, before.state, -1);
      bump(this.#byVersion, before.configVersion, -1);
      this.#total--;
    }
    if (after) {
      bump(this.#byState, after.state, 1);
      bump(this.#byVersion, after.configVersion, 1);
      this.#total++;
    }
  }

  get total(): number {
    return this.#total;
  }

  inState(state: PodState): number {
    return this.#byState.get(state) ?? 0;
  }

  /** Pods by state, states with none left out. */
  byState(): Record<string, number> {
    return Object.fromEntries(this.#byState);
  }

  /** Pods by configuration version, versions with none left out. */
  byVersion(): Record<string, number> {
    return Object.fromEntries(this.#byVersion);
  }
}

function bump<K>(m: Map<K, number>, key: K, by: number): void {
  const n = (m.get(key) ?? 0) + by;
  if (n === 0) m.delete(key);
  else m.set(key, n);
}
