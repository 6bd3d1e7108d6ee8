/**
 * A set of instance ids kept as sorted, disjoint, non-adjacent half-open ranges [from, to), the
 * shape InstanceIDRange has on the wire. Jobs bring their instances up roughly in order, so the
 * set of a 100,000-instance job stays a handful of ranges rather than 100,000 numbers.
 */
export type InstanceRanges = readonly (readonly [from: number, to: number])[];

export const NO_INSTANCES: InstanceRanges = [];

/** The ranges holding exactly `ids` (any order, duplicates allowed; ascending input is not re-sorted). */
export function rangesOf(ids: Iterable<number>): InstanceRanges {
  const sorted = [...ids];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! < sorted[i - 1]!) {
      sorted.sort((a, b) => a - b);
      break;
    }
  }
  const out: [number, number][] = [];
  for (const id of sorted) {
    const last = out[out.length - 1];
    if (last && id < last[1]) continue;
    if (last && last[1] === id) last[1] = id + 1;
    else out.push([id, id + 1]);
  }
  return out;
}

/** [0, count). */
export const firstInstances = (count: number): InstanceRanges => (count > 0 ? [[0, count]] : NO_INSTANCES);

export function hasInstance(ranges: InstanceRanges, id: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = ranges[mid]!;
    if (id < from) hi = mid - 1;
    else if (id >= to) lo = mid + 1;
    else return true;
  }
  return false;
}

export const countInstances = (ranges: InstanceRanges): number =>
  ranges.reduce((n, [from, to]) => n + (to - from), 0);

/** The union of two sets. */
export function unionRanges(a: InstanceRanges, b: InstanceRanges): InstanceRanges {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [from, to] of all) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The ids of `a` that are not in `b`. */
export function subtractRanges(a: InstanceRanges, b: InstanceRanges): InstanceRanges {
  if (a.length === 0 || b.length === 0) return a;
  const out: [number, number][] = [];
  let j = 0;
  for (const [from, to] of a) {
    let at = from;
    while (j < b.length && b[j]![1] <= at) j++;
    let k = j;
    while (at < to) {
      const cut = b[k];
      if (!cut || cut[0] >= to) {
        out.push([at, to]);
        break;
      }
      if (cut[0] > at) out.push([at, cut[0]]);
      at = Math.max(at, cut[1]);
      k++;
    }
  }
  return out;
}

/** Every id of the set, ascending. */
export function* instancesIn(ranges: InstanceRanges): Generator<number> {
  for (const [from, to] of ranges) for (let i = from; i < to; i++) yield i;
}
