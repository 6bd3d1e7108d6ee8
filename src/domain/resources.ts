/** The resource kinds Peloton schedules, as they are named in resource pool specs. */
export const RESOURCE_KINDS = ["cpu", "memory", "disk", "gpu"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const isResourceKind = (s: string): s is ResourceKind =>
  (RESOURCE_KINDS as readonly string[]).includes(s);

/** An amount of each kind: cpu in cores, memory and disk in MB, gpu in devices. */
export type Resources = Readonly<Record<ResourceKind, number>>;

export const ZERO: Resources = Object.freeze({ cpu: 0, memory: 0, disk: 0, gpu: 0 });

export const resources = (r: Partial<Record<ResourceKind, number>>): Resources => ({
  cpu: r.cpu ?? 0,
  memory: r.memory ?? 0,
  disk: r.disk ?? 0,
  gpu: r.gpu ?? 0,
});

const zip = (a: Resources, b: Resources, f: (x: number, y: number) => number): Resources => ({
  cpu: f(a.cpu, b.cpu),
  memory: f(a.memory, b.memory),
  disk: f(a.disk, b.disk),
  gpu: f(a.gpu, b.gpu),
});

export const add = (a: Resources, b: Resources): Resources => zip(a, b, (x, y) => x + y);
export const subtract = (a: Resources, b: Resources): Resources => zip(a, b, (x, y) => x - y);
export const min = (a: Resources, b: Resources): Resources => zip(a, b, Math.min);
export const max = (a: Resources, b: Resources): Resources => zip(a, b, Math.max);
export const scale = (a: Resources, k: number): Resources => zip(a, a, (x) => x * k);

/** Tolerance for floating-point comparisons of resource amounts. */
export const EPSILON = 1e-9;

/** True when `a` fits within `b` in every kind. */
export const fits = (a: Resources, b: Resources): boolean =>
  RESOURCE_KINDS.every((k) => a[k] <= b[k] + EPSILON);

export const isZero = (a: Resources): boolean => RESOURCE_KINDS.every((k) => Math.abs(a[k]) <= EPSILON);
