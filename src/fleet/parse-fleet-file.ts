import { EXCLUSIVE_LABEL, HOSTNAME_LABEL, type HostSpec, type PortRange } from "../domain/host.js";
import type { Label } from "../domain/labels.js";
import { RESOURCE_KINDS, type ResourceKind, type Resources } from "../domain/resources.js";
import { AppError, type FieldViolation } from "../lib/app-error.js";
import {
  DEFAULT_HOST_PREFIX,
  DEFAULT_HOSTS_PER_RACK,
  DEFAULT_PORT_RANGE,
  expandHostGroups,
  type HostGroup,
  RACK_LABEL,
  ZONE_LABEL,
  zoneName,
} from "./host-groups.js";

/** The most hosts a fleet file may describe. */
export const MAX_FLEET_HOSTS = 1_000_000;

const GROUP_FIELDS = [
  "count",
  "namePrefix",
  "capacity",
  "ports",
  "zones",
  "hostsPerRack",
  "labels",
  "exclusive",
] as const;
const ROOT_FIELDS = ["hostGroups", "description"] as const;
const RESERVED_LABELS = [ZONE_LABEL, RACK_LABEL, EXCLUSIVE_LABEL, HOSTNAME_LABEL];
const NAME_PREFIX = /^[a-z0-9][a-z0-9.-]*$/i;

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: Json): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : `${typeof v} ${JSON.stringify(v)}`;

class Violations {
  readonly list: FieldViolation[] = [];
  add(field: string, description: string): undefined {
    this.list.push({ field, description });
    return undefined;
  }
  /** Reports keys of `obj` not in `allowed` (typos like `capacty`). */
  unknownKeys(obj: Record<string, Json>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.add(`${path}.${key}`, `unknown field (expected one of ${allowed.join(", ")})`);
      }
    }
  }
  integer(v: Json, field: string, lo: number, hi: number): number | undefined {
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
      this.add(field, `must be an integer from ${lo} to ${hi}, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}

/**
 * Parses a fleet file: JSON describing groups of identical hosts.
 *
 * ```json
 * { "hostGroups": [
 *     { "count": 40, "capacity": { "cpu": 32, "memory": 131072, "disk": 1000000 },
 *       "zones": ["zone-a", "zone-b"], "hostsPerRack": 20 },
 *     { "count": 4, "namePrefix": "gpu-", "capacity": { "cpu": 64, "memory": 262144, "gpu": 8 },
 *       "ports": { "begin": 31000, "end": 32000 }, "labels": { "team": "ml" }, "exclusive": "ml" } ] }
 * ```
 * `count` and `capacity` (`cpu` and `memory` > 0; `disk`, `gpu` default 0) are required;
 * `namePrefix` defaults to `host-`, `ports` to [31000, 32000), `zones` to `["zone-a"]`,
 * `hostsPerRack` to 20. Throws INVALID_ARGUMENT listing every bad field by its path.
 */
export function parseFleetFile(text: string): HostSpec[] {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw AppError.invalid("$", `not valid JSON: ${(e as Error).message}`);
  }
  const v = new Violations();
  const groups: HostGroup[] = [];
  if (!isObject(doc)) {
    v.add("$", `must be an object with a hostGroups array, got ${describe(doc)}`);
  } else {
    v.unknownKeys(doc, ROOT_FIELDS, "$");
    if (doc.description !== undefined && typeof doc.description !== "string") {
      v.add("description", "must be a string");
    }
    const list = doc.hostGroups;
    if (!Array.isArray(list) || list.length === 0) {
      v.add(
        "hostGroups",
        `must be a non-empty array, got ${list === undefined ? "nothing" : describe(list)}`,
      );
    } else {
      list.forEach((g, i) => {
        const group = parseGroup(g, `hostGroups[${i}]`, v);
        if (group) groups.push(group);
      });
      const total = groups.reduce((n, g) => n + g.count, 0);
      if (total > MAX_FLEET_HOSTS) {
        v.add("hostGroups", `describe ${total} hosts; at most ${MAX_FLEET_HOSTS} allowed`);
      }
    }
  }
  if (v.list.length > 0) {
    const message = v.list.map((x) => `${x.field}: ${x.description}`).join("; ");
    throw new AppError("INVALID_ARGUMENT", `invalid fleet file: ${message}`, v.list);
  }
  return expandHostGroups(groups);
}

function parseGroup(g: Json, path: string, v: Violations): HostGroup | undefined {
  if (!isObject(g)) {
    v.add(path, `must be an object, got ${describe(g)}`);
    return undefined;
  }
  const before = v.list.length;
  v.unknownKeys(g, GROUP_FIELDS, path);
  const count =
    g.count === undefined
      ? v.add(`${path}.count`, "is required")
      : v.integer(g.count, `${path}.count`, 1, MAX_FLEET_HOSTS);
  let namePrefix = DEFAULT_HOST_PREFIX;
  if (g.namePrefix !== undefined) {
    if (typeof g.namePrefix !== "string" || !NAME_PREFIX.test(g.namePrefix)) {
      v.add(
        `${path}.namePrefix`,
        `must be letters, digits, '.' or '-' (not starting with '.' or '-'), got ${describe(g.namePrefix)}`,
      );
    } else {
      namePrefix = g.namePrefix;
    }
  }
  const capacity = parseCapacity(g.capacity, `${path}.capacity`, v);
  const ports = g.ports === undefined ? DEFAULT_PORT_RANGE : parsePorts(g.ports, `${path}.ports`, v);
  const zones = g.zones === undefined ? [zoneName(0)] : parseZones(g.zones, `${path}.zones`, v);
  const hostsPerRack =
    g.hostsPerRack === undefined
      ? DEFAULT_HOSTS_PER_RACK
      : v.integer(g.hostsPerRack, `${path}.hostsPerRack`, 1, MAX_FLEET_HOSTS);
  const labels = g.labels === undefined ? [] : parseLabels(g.labels, `${path}.labels`, v);
  let exclusive: string | undefined;
  if (g.exclusive !== undefined) {
    if (typeof g.exclusive !== "string" || g.exclusive === "") {
      v.add(`${path}.exclusive`, `must be a non-empty string, got ${describe(g.exclusive)}`);
    } else {
      exclusive = g.exclusive;
    }
  }
  if (
    v.list.length > before ||
    count === undefined ||
    !capacity ||
    !ports ||
    !zones ||
    !hostsPerRack ||
    !labels
  ) {
    return undefined;
  }
  return { count, namePrefix, capacity, ports, zones, hostsPerRack, labels, exclusive };
}

function parseCapacity(c: Json, path: string, v: Violations): Resources | undefined {
  if (c === undefined) {
    v.add(path, "is required");
    return undefined;
  }
  if (!isObject(c)) {
    v.add(path, `must be an object with cpu, memory, disk, gpu, got ${describe(c)}`);
    return undefined;
  }
  v.unknownKeys(c, RESOURCE_KINDS, path);
  const out: Record<ResourceKind, number> = { cpu: 0, memory: 0, disk: 0, gpu: 0 };
  let ok = true;
  for (const kind of RESOURCE_KINDS) {
    const x = c[kind];
    const required = kind === "cpu" || kind === "memory";
    if (x === undefined) {
      if (required) {
        v.add(`${path}.${kind}`, "is required");
        ok = false;
      }
      continue;
    }
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || (required && x === 0)) {
      v.add(`${path}.${kind}`, `must be a number ${required ? "> 0" : ">= 0"}, got ${describe(x)}`);
      ok = false;
      continue;
    }
    out[kind] = x;
  }
  return ok ? out : undefined;
}

function parsePorts(p: Json, path: string, v: Violations): PortRange | undefined {
  if (!isObject(p)) {
    v.add(path, `must be an object {begin, end}, got ${describe(p)}`);
    return undefined;
  }
  v.unknownKeys(p, ["begin", "end"], path);
  const begin =
    p.begin === undefined
      ? v.add(`${path}.begin`, "is required")
      : v.integer(p.begin, `${path}.begin`, 1, 65535);
  const end =
    p.end === undefined ? v.add(`${path}.end`, "is required") : v.integer(p.end, `${path}.end`, 1, 65536);
  if (begin === undefined || end === undefined) return undefined;
  if (end < begin) {
    v.add(`${path}.end`, `must be >= begin (${begin}); the range is half-open [begin, end)`);
    return undefined;
  }
  return { begin, end };
}

function parseZones(z: Json, path: string, v: Violations): string[] | undefined {
  if (!Array.isArray(z) || z.length === 0) {
    v.add(path, `must be a non-empty array of zone names, got ${describe(z)}`);
    return undefined;
  }
  const seen = new Set<string>();
  let ok = true;
  z.forEach((name, i) => {
    if (typeof name !== "string" || name === "") {
      v.add(`${path}[${i}]`, `must be a non-empty string, got ${describe(name)}`);
      ok = false;
    } else if (seen.has(name)) {
      v.add(`${path}[${i}]`, `duplicate zone ${JSON.stringify(name)}`);
      ok = false;
    } else {
      seen.add(name);
    }
  });
  return ok ? (z as string[]) : undefined;
}

function parseLabels(l: Json, path: string, v: Violations): Label[] | undefined {
  if (!isObject(l)) {
    v.add(path, `must be an object of key: value strings, got ${describe(l)}`);
    return undefined;
  }
  const labels: Label[] = [];
  let ok = true;
  for (const [key, value] of Object.entries(l)) {
    if (key === "") {
      v.add(path, "label keys must not be empty");
      ok = false;
    } else if (RESERVED_LABELS.includes(key)) {
      const hint =
        key === ZONE_LABEL ? "use zones" : key === EXCLUSIVE_LABEL ? "use exclusive" : "it is set per host";
      v.add(`${path}.${key}`, `reserved label (${hint})`);
      ok = false;
    } else if (typeof value !== "string") {
      v.add(`${path}.${key}`, `must be a string, got ${describe(value)}`);
      ok = false;
    } else {
      labels.push({ key, value });
    }
  }
  return ok ? labels : undefined;
}
