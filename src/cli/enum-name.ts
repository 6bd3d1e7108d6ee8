/**
 * An enum value's name without its prefix, as people read it: JOB_STATE_RUNNING is RUNNING,
 * POD_STATE_KILLED is KILLED. `toJson` is ts-proto's `<enum>ToJSON`.
 */
export function enumName<E>(toJson: (value: E) => string, prefix: string, value: E): string {
  const name = toJson(value);
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A map keyed by state names (pod_stats) with each key's prefix dropped: POD_STATE_RUNNING → RUNNING. */
export function withoutPrefix(counts: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) {
    const name = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    out[name] = (out[name] ?? 0) + n;
  }
  return out;
}
