import type { Constraint } from "../../domain/constraints.js";
import type { HostSpec, HostState } from "../../domain/host.js";
import type { Label } from "../../domain/labels.js";
import type { Resources } from "../../domain/resources.js";

/** A host as placement sees it at the start of a round. */
export interface HostSnapshot {
  readonly spec: HostSpec;
  readonly state: HostState;
  /** Resources held by the pods already on the host. */
  readonly used: Resources;
  /** Ports held by the pods already on the host. */
  readonly usedPorts: readonly number[];
  /** Labels of the pods already on the host: every label of every pod (so counts add up). */
  readonly podLabels: readonly Label[];
}

export interface StaticPort {
  readonly name: string;
  readonly value: number;
}

/** An admitted pod to place. */
export interface PlacementPod {
  readonly id: string;
  readonly resources: Resources;
  /** Ports the pod asks for by number; each must be free and inside the host's range. */
  readonly staticPorts?: readonly StaticPort[] | undefined;
  /** How many ports the scheduler picks from the host's range. */
  readonly dynamicPorts?: number | undefined;
  /** The pod's own labels, which pod-kind constraints of later pods count. */
  readonly labels?: readonly Label[] | undefined;
  /**
   * Where the pod may go. A host label constraint asking for `peloton/exclusive=<value>` is
   * also the pod's request for exclusive hosts with that value.
   */
  readonly constraint?: Constraint | undefined;
  /** A host to try first (e.g. where the pod ran before). */
  readonly desiredHost?: string | undefined;
  /**
   * The only host the pod may go to (e.g. where its persistent volume is). When that host
   * cannot take it, the pod is unplaced with that host's reason; no other host is considered.
   */
  readonly requiredHost?: string | undefined;
}

export interface Placement {
  readonly podId: string;
  readonly hostname: string;
  /** The dynamic ports handed out, in order; static ports are the pod's own. */
  readonly dynamicPorts: readonly number[];
}

/** A reason a pod could not go to some hosts, and on how many hosts it applied. */
export interface ReasonCount {
  readonly reason: string;
  readonly hosts: number;
}

export interface Unplaced {
  readonly podId: string;
  /** Each host counted once, under the first (cheapest) filter it failed; most common first. */
  readonly reasons: readonly ReasonCount[];
  /** The reasons in one line, e.g. `cpu exhausted on 40 hosts; constraint pod app=web < 1 on 8 hosts`. */
  readonly message: string;
}

/** What placement decides; placements are in the order they were made. */
export interface Plan {
  readonly placements: readonly Placement[];
  readonly unplaced: readonly Unplaced[];
}
