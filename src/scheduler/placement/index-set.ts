import { RESOURCE_KINDS } from "../../domain/resources.js";
import { FreeIndex, HeadroomScale } from "./free-index.js";
import { type HostTable, KINDS } from "./host-table.js";

/** At most this many restricted indexes per round (each costs a few bytes per member host). */
export const MAX_RESTRICTED_INDEXES = 64;
/**
 * A restricted index is built only when it holds at most this fraction of the shared index's
 * hosts, or holds exclusive hosts (which the shared index leaves out).
 */
export const MAX_RESTRICTED_FRACTION = 0.5;

const GPU = RESOURCE_KINDS.indexOf("gpu");

/**
 * The free-resource indexes of one round: a shared one over the UP hosts that are not
 * exclusive, one over the UP hosts with GPUs, and restricted ones over the UP hosts that pass a
 * host-only constraint (e.g. `zone=a`), built the first time a pod asks and shared by every pod
 * with that constraint. A placement updates every index the host is in.
 */
export class IndexSet {
  readonly scale: HeadroomScale;
  readonly shared: FreeIndex;
  readonly gpu: FreeIndex;
  readonly #table: HostTable;
  readonly #restricted = new Map<string, FreeIndex | undefined>();
  #restrictedCount = 0;
  /** Per host: pairs of (index, local number) for every index the host is in. */
  readonly #memberships: ((FreeIndex | number)[] | undefined)[];

  constructor(table: HostTable) {
    this.#table = table;
    this.scale = new HeadroomScale(table);
    this.#memberships = new Array(table.size);
    const shared: number[] = [];
    const gpu: number[] = [];
    for (let h = 0; h < table.size; h++) {
      if (table.up[h] !== 1) continue;
      if (table.exclusive[h] === undefined) shared.push(h);
      if (table.capacity[h * KINDS + GPU]! > 0) gpu.push(h);
    }
    this.shared = this.#register(shared);
    this.gpu = this.#register(gpu);
  }

  /**
   * The index of the UP hosts for which `holds` is true, or undefined when it would not pay:
   * too many indexes already, or it keeps more than half the shared hosts and no exclusive one
   * (the shared index serves then).
   */
  restricted(key: string, holds: (h: number) => boolean): FreeIndex | undefined {
    if (this.#restricted.has(key)) return this.#restricted.get(key);
    let index: FreeIndex | undefined;
    if (this.#restrictedCount < MAX_RESTRICTED_INDEXES) {
      const t = this.#table;
      const members: number[] = [];
      let exclusive = false;
      for (let h = 0; h < t.size; h++) {
        if (t.up[h] === 1 && holds(h)) {
          members.push(h);
          exclusive ||= t.exclusive[h] !== undefined;
        }
      }
      if (exclusive || members.length <= this.shared.size * MAX_RESTRICTED_FRACTION) {
        index = this.#register(members);
        this.#restrictedCount++;
      }
    }
    this.#restricted.set(key, index);
    return index;
  }

  /** Re-buckets host h in every index it is in, after its free resources changed. */
  update(h: number): void {
    const m = this.#memberships[h];
    if (m === undefined) return;
    for (let i = 0; i < m.length; i += 2) (m[i] as FreeIndex).update(m[i + 1] as number);
  }

  #register(members: readonly number[]): FreeIndex {
    const index = new FreeIndex(this.#table, this.scale, members);
    members.forEach((h, local) => {
      let m = this.#memberships[h];
      if (m === undefined) {
        m = [];
        this.#memberships[h] = m;
      }
      m.push(index, local);
    });
    return index;
  }
}
