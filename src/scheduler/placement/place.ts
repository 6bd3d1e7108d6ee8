import { RESOURCE_KINDS } from "../../domain/resources.js";
import { ConstraintCompiler } from "./compiled-constraint.js";
import { BUCKETS, type FreeIndex } from "./free-index.js";
import { feasible, firstFailure } from "./host-filters.js";
import { HostTable, KINDS } from "./host-table.js";
import { IndexSet } from "./index-set.js";
import {
  DEFAULT_STRATEGY,
  type PlacementStrategy,
  placementStrategy,
  type StrategyName,
} from "./placement-strategy.js";
import { failureKey, PodPreparer, type PreparedPod } from "./prepared-pod.js";
import type { HostSnapshot, Placement, PlacementPod, Plan, ReasonCount, Unplaced } from "./types.js";
import { diagnose, reasonMessage } from "./unplaced-reasons.js";

export interface PlaceOptions {
  /** A ranker, or its name; `pack` by default. */
  readonly strategy?: StrategyName | PlacementStrategy | undefined;
  /** How many feasible hosts are scored per pod (a bounded sample, as Borg does); 8 by default. */
  readonly sampleSize?: number | undefined;
}

export const DEFAULT_SAMPLE_SIZE = 8;
/** Once a feasible host is found, at most this many more hosts per sample slot are looked at. */
export const LOOKS_PER_SAMPLE = 4;

const GPU = RESOURCE_KINDS.indexOf("gpu");

/**
 * Places a batch of admitted pods, in order, on a snapshot of hosts; later pods see the earlier
 * ones (resources, ports, labels). A pod with a required host goes there or nowhere. Each other
 * pod tries its desired host first. Otherwise the search
 * takes the smallest index that can hold the pod's host (shared, GPU, or one restricted to the
 * pod's host-only constraint), walks its headroom buckets from the strategy's end, collects a
 * bounded sample of feasible hosts and takes the best-scoring one. A pod is left unplaced only
 * when no host passes the filters; its reasons then count every host's first failing filter.
 * Pure: the snapshot is not changed.
 */
export const place = (
  hosts: readonly HostSnapshot[],
  pods: readonly PlacementPod[],
  options: PlaceOptions = {},
): Plan => new Placer(hosts, options).placeAll(pods);

/**
 * `place` for a large batch without holding the thread for all of it: the pods are placed in
 * order, `slice` at a time, on the same evolving snapshot, and `pause()` is awaited between two
 * slices (the caller lets other work run there). The plan is the one `place` makes.
 */
export async function placeInSlices(
  hosts: readonly HostSnapshot[],
  pods: readonly PlacementPod[],
  options: PlaceOptions & { readonly slice: number; readonly pause: () => Promise<void> },
): Promise<Plan> {
  const placer = new Placer(hosts, options);
  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  for (let at = 0; at < pods.length; at += options.slice) {
    if (at > 0) await options.pause();
    const part = placer.placeAll(pods.slice(at, at + options.slice));
    for (const p of part.placements) placements.push(p);
    for (const u of part.unplaced) unplaced.push(u);
  }
  return { placements, unplaced };
}

class Placer {
  readonly #table: HostTable;
  readonly #indexes: IndexSet;
  readonly #preparer: PodPreparer;
  readonly #strategy: PlacementStrategy;
  readonly #sample: Int32Array;
  /** After the first feasible host, how many infeasible ones the search may still look at. */
  readonly #budget: number;
  /** Reasons of pods no host could take, by failure key (see `failureKey`). */
  readonly #failures = new Map<string, { reasons: readonly ReasonCount[]; message: string }>();

  constructor(hosts: readonly HostSnapshot[], options: PlaceOptions) {
    this.#table = new HostTable(hosts);
    this.#indexes = new IndexSet(this.#table);
    this.#preparer = new PodPreparer(this.#table, new ConstraintCompiler(this.#table));
    const s = options.strategy ?? DEFAULT_STRATEGY;
    this.#strategy = typeof s === "string" ? placementStrategy(s) : s;
    this.#sample = new Int32Array(Math.max(1, options.sampleSize ?? DEFAULT_SAMPLE_SIZE));
    this.#budget = this.#sample.length * LOOKS_PER_SAMPLE;
  }

  placeAll(pods: readonly PlacementPod[]): Plan {
    const placements: Placement[] = [];
    const unplaced: Unplaced[] = [];
    for (const pod of pods) {
      const p = this.#preparer.prepare(pod);
      if (pod.requiredHost !== undefined) {
        const r = this.#required(p, pod.requiredHost);
        if (typeof r === "number") this.#take(placements, p, r);
        else unplaced.push(r);
        continue;
      }
      let h = this.#desired(p);
      let key: string | undefined;
      if (h < 0 && this.#failures.size > 0) {
        key = failureKey(p);
        const known = key === undefined ? undefined : this.#failures.get(key);
        if (known !== undefined) {
          unplaced.push({ podId: pod.id, ...known });
          continue;
        }
      }
      if (h < 0) h = this.#search(p);
      if (h < 0) {
        // Nothing in the index the search used: ask every host, which also explains the failure
        // (and finds a host the index could not offer, e.g. an exclusive one past the index cap).
        const d = diagnose(this.#table, p);
        if ("feasibleHost" in d) {
          h = d.feasibleHost;
        } else {
          const failure = { reasons: d.reasons, message: d.message };
          key ??= failureKey(p);
          if (key !== undefined) this.#failures.set(key, failure);
          unplaced.push({ podId: pod.id, ...failure });
          continue;
        }
      }
      this.#take(placements, p, h);
    }
    return { placements, unplaced };
  }

  #take(placements: Placement[], p: PreparedPod, h: number): void {
    const dynamicPorts = this.#table.take(h, p.request, p.staticPorts, p.dynamicPorts, p.labelIds);
    this.#indexes.update(h);
    placements.push({ podId: p.pod.id, hostname: this.#table.names[h]!, dynamicPorts });
  }

  /** The required host when it can take the pod; otherwise why not. */
  #required(p: PreparedPod, name: string): number | Unplaced {
    const h = this.#table.byName.get(name);
    const reason = h === undefined ? "host unknown" : firstFailure(this.#table, h, p);
    if (h !== undefined && reason === undefined) return h;
    const reasons = [{ reason: reason!, hosts: 1 }];
    return { podId: p.pod.id, reasons, message: reasonMessage(reasons) };
  }

  #desired(p: PreparedPod): number {
    const name = p.pod.desiredHost;
    if (name === undefined) return -1;
    const h = this.#table.byName.get(name);
    return h !== undefined && feasible(this.#table, h, p) ? h : -1;
  }

  /** The smallest index that holds every host the pod could use (as far as indexes go). */
  #indexFor(p: PreparedPod): FreeIndex {
    let best: FreeIndex | undefined = p.exclusive.length > 0 ? undefined : this.#indexes.shared;
    const part = p.constraint?.hostPart;
    if (part !== undefined) {
      const r = this.#indexes.restricted(part.key, part.holds);
      if (r !== undefined && (best === undefined || r.size < best.size)) best = r;
    }
    if (p.request[GPU]! > 0 && (best === undefined || this.#indexes.gpu.size < best.size))
      best = this.#indexes.gpu;
    return best ?? this.#indexes.shared;
  }

  #search(p: PreparedPod): number {
    const index = this.#indexFor(p);
    const full = index.firstFullFit(this.#indexes.scale.size(p.request));
    let found = 0;
    if (this.#strategy.searchFrom === "least-free") {
      for (let b = full; b < BUCKETS && found === 0; b++) found = this.#visit(index, b, p, found);
    } else {
      for (let b = BUCKETS - 1; b >= full && found === 0; b--) found = this.#visit(index, b, p, found);
    }
    // Hosts short of the pod's size in some kind may still fit (it may not ask for that kind,
    // or just fit): searched last, nearest first, as most of them are full.
    for (let b = Math.min(full, BUCKETS) - 1; b >= 0 && found === 0; b--)
      found = this.#visit(index, b, p, found);
    return this.#best(p, found);
  }

  /**
   * Adds the feasible hosts of bucket b to the sample and returns its size. Stops when the
   * sample is full, or when it has a host and the look budget is spent.
   */
  #visit(index: FreeIndex, b: number, p: PreparedPod, found: number): number {
    const list = index.bucket(b);
    const members = index.members;
    const sample = this.#sample;
    let budget = this.#budget;
    for (let i = 0; i < list.length; i++) {
      const h = members[list[i]!]!;
      if (feasible(this.#table, h, p)) {
        sample[found++] = h;
        if (found === sample.length) return found;
      } else if (found > 0 && --budget === 0) {
        return found;
      }
    }
    return found;
  }

  #best(p: PreparedPod, found: number): number {
    const { free, capacity } = this.#table;
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < found; i++) {
      const h = this.#sample[i]!;
      const s = this.#strategy.score(free, capacity, h * KINDS, p.request);
      if (s > bestScore) {
        best = h;
        bestScore = s;
      }
    }
    return best;
  }
}
