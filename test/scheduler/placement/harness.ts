import type { Constraint } from "../../../src/domain/constraints.js";
import type { HostState, PortRange } from "../../../src/domain/host.js";
import type { Label } from "../../../src/domain/labels.js";
import { type Resources, resources } from "../../../src/domain/resources.js";
import type { HostSnapshot, PlacementPod, Plan } from "../../../src/scheduler/placement/types.js";

type Amounts = Partial<Resources>;

const labelList = (l: Record<string, string> | readonly Label[] | undefined): Label[] =>
  l === undefined
    ? []
    : Array.isArray(l)
      ? [...l]
      : Object.entries(l).map(([key, value]) => ({ key, value }));

/** A host snapshot: 8 cpu, 8192 memory, 1000 disk, no gpu, ports [31000, 31100), UP, empty, unless given. */
export const host = (
  hostname: string,
  o: Amounts & {
    state?: HostState;
    used?: Amounts;
    labels?: Record<string, string> | readonly Label[];
    ports?: PortRange;
    usedPorts?: number[];
    podLabels?: Record<string, string> | readonly Label[];
  } = {},
): HostSnapshot => ({
  spec: {
    hostname,
    ip: "10.0.0.1",
    capacity: resources({ cpu: o.cpu ?? 8, memory: o.memory ?? 8192, disk: o.disk ?? 1000, gpu: o.gpu ?? 0 }),
    ports: o.ports ?? { begin: 31000, end: 31100 },
    labels: labelList(o.labels),
  },
  state: o.state ?? "UP",
  used: resources(o.used ?? {}),
  usedPorts: o.usedPorts ?? [],
  podLabels: labelList(o.podLabels),
});

/** A pod to place: 1 cpu and nothing else unless given. */
export const pod = (
  id: string,
  o: Amounts & {
    labels?: Record<string, string> | readonly Label[];
    constraint?: Constraint;
    staticPorts?: Record<string, number>;
    dynamicPorts?: number;
    desiredHost?: string;
    requiredHost?: string;
  } = {},
): PlacementPod => ({
  id,
  resources: resources({ cpu: o.cpu ?? 1, memory: o.memory ?? 0, disk: o.disk ?? 0, gpu: o.gpu ?? 0 }),
  labels: labelList(o.labels),
  constraint: o.constraint,
  staticPorts: Object.entries(o.staticPorts ?? {}).map(([name, value]) => ({ name, value })),
  dynamicPorts: o.dynamicPorts,
  desiredHost: o.desiredHost,
  requiredHost: o.requiredHost,
});

/** Where each pod went, and why the others did not: `{ p1: "h1", p2: "cpu exhausted on 2 hosts" }`. */
export const outcome = (plan: Plan): Record<string, string> => ({
  ...Object.fromEntries(plan.placements.map((p) => [p.podId, p.hostname])),
  ...Object.fromEntries(plan.unplaced.map((u) => [u.podId, u.message])),
});
