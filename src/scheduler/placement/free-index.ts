import { RESOURCE_KINDS } from "../../domain/resources.js";
import { type HostTable, KINDS } from "./host-table.js";

/** How many buckets the index spreads hosts over. */
export const BUCKETS = 128;

/** The kinds that make up a host's headroom. GPU hosts are few: pods that need one search an index of them. */
export const HEADROOM_KINDS = ["cpu", "memory", "disk"] as const;
const HEADROOM = HEADROOM_KINDS.map((k) => RESOURCE_KINDS.indexOf(k));

/**
 * The scale every index measures hosts on: per kind, the largest capacity of any host, so a
 * host's headroom and a pod's size are fractions of the biggest host.
 */
export class HeadroomScale {
  readonly largest = new Float64Array(KINDS);

  constructor(table: HostTable) {
    for (let h = 0; h < table.size; h++) {
      for (let k = 0; k < KINDS; k++)
        this.largest[k] = Math.max(this.largest[k]!, table.capacity[h * KINDS + k]!);
    }
  }

  /** The smallest fraction of the biggest host that host h has free in any headroom kind. */
  headroom(free: Float64Array, h: number): number {
    let least = Number.POSITIVE_INFINITY;
    for (const k of HEADROOM) {
      const l = this.largest[k]!;
      if (l > 0) least = Math.min(least, free[h * KINDS + k]! / l);
    }
    return least === Number.POSITIVE_INFINITY ? 0 : least;
  }

  /** The largest fraction of the biggest host the pod asks for in any headroom kind (>1: none fits). */
  size(request: ArrayLike<number>): number {
    let most = 0;
    for (const k of HEADROOM) {
      const r = request[k]!;
      if (r <= 0) continue;
      const l = this.largest[k]!;
      most = Math.max(most, l > 0 ? r / l : Number.POSITIVE_INFINITY);
    }
    return most;
  }
}

/**
 * A set of hosts bucketed by headroom: bucket b holds hosts whose headroom lies in
 * [b/BUCKETS, (b+1)/BUCKETS) (the last bucket is closed). A host with headroom at least a pod's
 * size has room for it in every headroom kind, so a search walks the buckets from the pod's size
 * up (fullest first) or from the top down (emptiest first) and never meets a host that is full
 * in some kind, which it would if it walked one kind alone. Hosts are numbered locally
 * (0..members-1); `members` maps local numbers to host numbers.
 */
export class FreeIndex {
  readonly members: Int32Array;
  readonly #table: HostTable;
  readonly #scale: HeadroomScale;
  readonly #lists: number[][];
  readonly #bucket: Int32Array;
  readonly #pos: Int32Array;

  constructor(table: HostTable, scale: HeadroomScale, members: readonly number[]) {
    this.#table = table;
    this.#scale = scale;
    this.members = Int32Array.from(members);
    this.#lists = Array.from({ length: BUCKETS }, () => []);
    this.#bucket = new Int32Array(members.length);
    this.#pos = new Int32Array(members.length);
    for (let local = 0; local < members.length; local++)
      this.#add(local, this.#bucketOfHost(members[local]!));
  }

  get size(): number {
    return this.members.length;
  }

  /** The lowest bucket whose hosts all have room for a pod of this size; BUCKETS when none. */
  firstFullFit(size: number): number {
    const b = Math.ceil(size * BUCKETS - 1e-9);
    return Math.min(BUCKETS, Math.max(0, b));
  }

  /** Local numbers of the hosts in bucket b (a live view: do not change it). */
  bucket(b: number): readonly number[] {
    return this.#lists[b]!;
  }

  /** Moves a member to the bucket its headroom now falls in. */
  update(local: number): void {
    const from = this.#bucket[local]!;
    const to = this.#bucketOfHost(this.members[local]!);
    if (to === from) return;
    const list = this.#lists[from]!;
    const last = list.pop()!;
    if (last !== local) {
      const i = this.#pos[local]!;
      list[i] = last;
      this.#pos[last] = i;
    }
    this.#add(local, to);
  }

  #bucketOfHost(h: number): number {
    const b = Math.floor(this.#scale.headroom(this.#table.free, h) * BUCKETS);
    return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
  }

  #add(local: number, b: number): void {
    const list = this.#lists[b]!;
    this.#bucket[local] = b;
    this.#pos[local] = list.length;
    list.push(local);
  }
}
