import type { Label } from "../../domain/labels.js";
import { RESOURCE_KINDS, type Resources } from "../../domain/resources.js";
import type { CompiledConstraint, ConstraintCompiler } from "./compiled-constraint.js";
import { type HostTable, KINDS } from "./host-table.js";
import type { PlacementPod, StaticPort } from "./types.js";

/** A pod in the form the filters read: numbers in arrays, labels as ids, constraint compiled. */
export interface PreparedPod {
  readonly pod: PlacementPod;
  readonly request: Float64Array;
  readonly staticPorts: readonly number[];
  readonly dynamicPorts: number;
  readonly labelIds: readonly number[];
  readonly constraint: CompiledConstraint | undefined;
  readonly exclusive: readonly string[];
}

const NONE: readonly never[] = [];

/**
 * Prepares pods for one round. Pods of one job usually share their resources, labels and
 * constraint objects, so the converted forms are kept per object and reused.
 */
export class PodPreparer {
  readonly #table: HostTable;
  readonly #compiler: ConstraintCompiler;
  readonly #requests = new WeakMap<Resources, Float64Array>();
  readonly #labels = new WeakMap<readonly Label[], readonly number[]>();
  readonly #ports = new WeakMap<readonly StaticPort[], readonly number[]>();

  constructor(table: HostTable, compiler: ConstraintCompiler) {
    this.#table = table;
    this.#compiler = compiler;
  }

  prepare(pod: PlacementPod): PreparedPod {
    const constraint = pod.constraint === undefined ? undefined : this.#compiler.compile(pod.constraint);
    return {
      pod,
      request: this.#request(pod.resources),
      staticPorts: pod.staticPorts === undefined ? NONE : this.#staticPorts(pod.staticPorts),
      dynamicPorts: pod.dynamicPorts ?? 0,
      labelIds: pod.labels === undefined ? NONE : this.#labelIds(pod.labels),
      constraint,
      exclusive: constraint?.exclusive ?? NONE,
    };
  }

  #request(r: Resources): Float64Array {
    let a = this.#requests.get(r);
    if (a === undefined) {
      a = new Float64Array(KINDS);
      for (let k = 0; k < KINDS; k++) a[k] = r[RESOURCE_KINDS[k]!];
      this.#requests.set(r, a);
    }
    return a;
  }

  #labelIds(labels: readonly Label[]): readonly number[] {
    let ids = this.#labels.get(labels);
    if (ids === undefined) {
      ids = labels.map((l) => this.#table.labels.id(l.key, l.value));
      this.#labels.set(labels, ids);
    }
    return ids;
  }

  #staticPorts(ports: readonly StaticPort[]): readonly number[] {
    let values = this.#ports.get(ports);
    if (values === undefined) {
      values = ports.map((p) => p.value);
      this.#ports.set(ports, values);
    }
    return values;
  }
}

/**
 * A key shared by pods that no host can take if one of them cannot (same needs, same
 * constraint); undefined when the pod's constraint could start to hold as pods are added.
 */
export const failureKey = (p: PreparedPod): string | undefined =>
  p.constraint !== undefined && !p.constraint.failureIsFinal
    ? undefined
    : `${p.request.join(",")}|${p.staticPorts.join(",")}|${p.dynamicPorts}|${p.constraint?.key ?? ""}`;
