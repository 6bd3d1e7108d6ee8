import { isSettingName, SETTING_NAMES } from "./settings.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variables Kubernetes injects for every Service in the namespace (unless the pod sets
 * `enableServiceLinks: false`): for a Service `peloton-postgres`, `PELOTON_POSTGRES_SERVICE_HOST`,
 * `PELOTON_POSTGRES_SERVICE_PORT[_<port name>]`, `PELOTON_POSTGRES_PORT=tcp://10.0.0.7:5432` and
 * `PELOTON_POSTGRES_PORT_5432_TCP[_PROTO|_PORT|_ADDR]`; for a Service `peloton`, the same
 * without the middle part (so `PELOTON_PORT=tcp://…`, which is not a port number).
 */
export function isServiceLink(name: string, value: string | undefined): boolean {
  if (/^PELOTON(?:_[A-Z0-9_]+)?_SERVICE_(?:HOST|PORT(?:_[A-Z0-9_]+)?)$/.test(name)) return true;
  if (/^PELOTON(?:_[A-Z0-9_]+)?_PORT_\d+_(?:TCP|UDP|SCTP)(?:_(?:PROTO|PORT|ADDR))?$/.test(name)) return true;
  return /^PELOTON(?:_[A-Z0-9_]+)?_PORT$/.test(name) && /^(?:tcp|udp|sctp):\/\//i.test(value ?? "");
}

/** Edit distance (insertions, deletions, substitutions) between two names. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The setting a misspelt name most likely meant, when one is close enough. */
export function didYouMean(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of SETTING_NAMES) {
    const distance = editDistance(name, known);
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  // Close: a few edits, or one name contains the other (PELOTON_DATADIR, PELOTON_TLS_CERT).
  const contained = (s: string, t: string) => s.length > "PELOTON_".length + 2 && t.includes(s);
  const near = SETTING_NAMES.find((k) => contained(name, k) || contained(k, name));
  if (best && best.distance <= Math.max(2, Math.floor(name.length / 5))) return best.name;
  return near;
}

export interface EnvNameReport {
  /** PELOTON_* names the server does not read, each with the setting it may have meant. */
  readonly unknown: readonly { readonly name: string; readonly suggestion?: string }[];
  /** Kubernetes service-link variables, ignored. */
  readonly serviceLinks: readonly string[];
}

/** Sorts the PELOTON_* names of the environment that are not settings. */
export function checkEnvNames(env: Env): EnvNameReport {
  const unknown: { name: string; suggestion?: string }[] = [];
  const serviceLinks: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("PELOTON_") || name.startsWith("PELOTON_TEST_")) continue;
    if (isServiceLink(name, env[name])) serviceLinks.push(name);
    else if (!isSettingName(name)) {
      const suggestion = didYouMean(name);
      unknown.push(suggestion ? { name, suggestion } : { name });
    }
  }
  return { unknown, serviceLinks };
}
