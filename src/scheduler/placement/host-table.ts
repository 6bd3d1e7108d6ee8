import { EXCLUSIVE_LABEL, type HostState } from "../../domain/host.js";
import type { Label } from "../../domain/labels.js";
import { RESOURCE_KINDS } from "../../domain/resources.js";
import { LabelInterner } from "./label-interner.js";
import type { HostSnapshot } from "./types.js";

export const KINDS = RESOURCE_KINDS.length;

const bump = (m: Map<number, number>, id: number) => m.set(id, (m.get(id) ?? 0) + 1);

/**
 * The mutable state of one placement round, in flat arrays indexed by host number: free
 * resources (KINDS per host), ports, and label counts. Placing a pod updates it, so later pods in
 * the batch see earlier ones.
 */
export class HostTable {
  readonly size: number;
  readonly names: readonly string[];
  readonly states: readonly HostState[];
  readonly byName = new Map<string, number>();
  readonly up: Uint8Array;
  readonly capacity: Float64Array;
  readonly free: Float64Array;
  readonly portBegin: Int32Array;
  readonly portEnd: Int32Array;
  /** Free ports left inside the host's range. */
  readonly freePorts: Int32Array;
  readonly nextPort: Int32Array;
  readonly usedPorts: (Set<number> | undefined)[];
  /** Counts of the host's own labels (the implicit hostname label excluded), by label id. */
  readonly hostLabels: (Map<number, number> | undefined)[];
  /** Counts of the labels of the pods on the host, by label id. */
  readonly podLabels: (Map<number, number> | undefined)[];
  /** Values of the host's exclusive label; undefined for a shared host. */
  readonly exclusive: (readonly string[] | undefined)[];
  readonly labels = new LabelInterner();

  constructor(hosts: readonly HostSnapshot[]) {
    const n = hosts.length;
    this.size = n;
    this.names = hosts.map((h) => h.spec.hostname);
    this.states = hosts.map((h) => h.state);
    this.up = new Uint8Array(n);
    this.capacity = new Float64Array(n * KINDS);
    this.free = new Float64Array(n * KINDS);
    this.portBegin = new Int32Array(n);
    this.portEnd = new Int32Array(n);
    this.freePorts = new Int32Array(n);
    this.nextPort = new Int32Array(n);
    this.usedPorts = new Array(n);
    this.hostLabels = new Array(n);
    this.podLabels = new Array(n);
    this.exclusive = new Array(n);
    for (let h = 0; h < n; h++) {
      const host = hosts[h]!;
      const { spec } = host;
      this.byName.set(spec.hostname, h);
      this.up[h] = host.state === "UP" ? 1 : 0;
      for (let k = 0; k < KINDS; k++) {
        const kind = RESOURCE_KINDS[k]!;
        this.capacity[h * KINDS + k] = spec.capacity[kind];
        this.free[h * KINDS + k] = spec.capacity[kind] - host.used[kind];
      }
      const begin = spec.ports.begin;
      const end = Math.max(begin, spec.ports.end);
      this.portBegin[h] = begin;
      this.portEnd[h] = end;
      this.nextPort[h] = begin;
      let freePorts = end - begin;
      if (host.usedPorts.length > 0) {
        const used = new Set(host.usedPorts);
        for (const p of used) if (p >= begin && p < end) freePorts--;
        this.usedPorts[h] = used;
      }
      this.freePorts[h] = freePorts;
      if (spec.labels.length > 0) {
        const m = new Map<number, number>();
        for (const l of spec.labels) bump(m, this.labels.id(l.key, l.value));
        this.hostLabels[h] = m;
        const exclusive = spec.labels.filter((l) => l.key === EXCLUSIVE_LABEL).map((l) => l.value);
        if (exclusive.length > 0) this.exclusive[h] = exclusive;
      }
      if (host.podLabels.length > 0) this.podLabels[h] = this.#countLabels(host.podLabels);
    }
  }

  #countLabels(labels: readonly Label[]): Map<number, number> {
    const m = new Map<number, number>();
    for (const l of labels) bump(m, this.labels.id(l.key, l.value));
    return m;
  }

  /** True when the host has the ports: statics free and inside its range, and room for the dynamic ones. */
  portsFit(h: number, staticPorts: readonly number[], dynamicPorts: number): boolean {
    if (staticPorts.length === 0 && dynamicPorts === 0) return true;
    const begin = this.portBegin[h]!;
    const end = this.portEnd[h]!;
    const used = this.usedPorts[h];
    for (const p of staticPorts) {
      if (p < begin || p >= end || used?.has(p)) return false;
    }
    return this.freePorts[h]! >= staticPorts.length + dynamicPorts;
  }

  /**
   * Puts a pod on host h: takes its resources, static ports and `dynamicPorts` more ports (the
   * lowest free ones from a rolling cursor), and counts its labels. Returns the dynamic ports.
   */
  take(
    h: number,
    request: ArrayLike<number>,
    staticPorts: readonly number[],
    dynamicPorts: number,
    labelIds: readonly number[],
  ): number[] {
    const base = h * KINDS;
    for (let k = 0; k < KINDS; k++) this.free[base + k]! -= request[k]!;
    const assigned: number[] = [];
    if (staticPorts.length > 0 || dynamicPorts > 0) {
      let used = this.usedPorts[h];
      if (used === undefined) {
        used = new Set();
        this.usedPorts[h] = used;
      }
      for (const p of staticPorts) used.add(p);
      const begin = this.portBegin[h]!;
      const end = this.portEnd[h]!;
      let port = this.nextPort[h]!;
      // At most one lap of the range: portsFit has checked there is room.
      for (let step = end - begin; step > 0 && assigned.length < dynamicPorts; step--, port++) {
        if (port >= end) port = begin;
        if (!used.has(port)) {
          used.add(port);
          assigned.push(port);
        }
      }
      this.nextPort[h] = port;
      this.freePorts[h]! -= staticPorts.length + dynamicPorts;
    }
    if (labelIds.length > 0) {
      let m = this.podLabels[h];
      if (m === undefined) {
        m = new Map();
        this.podLabels[h] = m;
      }
      for (const id of labelIds) bump(m, id);
    }
    return assigned;
  }
}
