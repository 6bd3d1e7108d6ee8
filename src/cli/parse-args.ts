import { InvalidArgumentError } from "@commander-js/extra-typings";
import type { InstanceIDRange } from "../gen/peloton/api/v1alpha/pod/pod.js";

/** Longest text a flag may carry into an error message. */
const ECHO_LIMIT = 60;
const shown = (text: string): string =>
  JSON.stringify(text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text);

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `20s`, `5m`, `1h` (or a bare number of seconds) as milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`${shown(text)} is not a duration (e.g. 500ms, 20s, 5m, 1h)`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]!);
}

const UINT32_MAX = 2 ** 32 - 1;

/** A whole number from 0 to 2^32-1 (a uint32 field). */
export function parseUint(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`${shown(text)} is not a whole number`);
  const n = Number(text);
  if (n > UINT32_MAX) throw new InvalidArgumentError(`${shown(text)} is larger than ${UINT32_MAX}`);
  return n;
}

/** The `to` of a range written with nothing after the colon: every instance from `from` on. */
export const OPEN_END = 2 ** 31 - 1;

/**
 * An instance range written `from:to` (half-open, as the API's): `:10` is [0, 10), `5:` is
 * [5, end), `:` every instance.
 */
export function parseInstanceRange(text: string): InstanceIDRange {
  const m = /^(\d*):(\d*)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`${shown(text)} is not a range FROM:TO (e.g. 0:10, 5:, :)`);
  const from = m[1] ? parseUint(m[1]) : 0;
  const to = m[2] ? parseUint(m[2]) : OPEN_END;
  if (to < from) throw new InvalidArgumentError(`range ${shown(text)} ends before it starts`);
  return { from, to };
}

/** For a repeatable `--range`: each one adds to the list. */
export const collectRange = (text: string, ranges: InstanceIDRange[] = []): InstanceIDRange[] => [
  ...ranges,
  parseInstanceRange(text),
];

/** `a,b , c` as ["a", "b", "c"] (empty parts dropped). */
export function parseList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Labels written `key=value,key2=value2` (Peloton's CLI also takes `key:value`). */
export function parseLabels(text: string): { key: string; value: string }[] {
  return parseList(text).map((pair) => {
    const m = /^([^=:]+)[=:](.*)$/.exec(pair);
    if (!m) throw new InvalidArgumentError(`label ${shown(pair)} is not key=value`);
    return { key: m[1]!.trim(), value: m[2]!.trim() };
  });
}

/**
 * Enum values by name, case-insensitively and with or without their prefix: for JobState,
 * `running`, `RUNNING` and `JOB_STATE_RUNNING` are all JOB_STATE_RUNNING.
 */
export function enumParser<E extends number>(
  values: Record<string, string | number>,
  prefix: string,
): (text: string) => E[] {
  const names = Object.keys(values).filter(
    (k) => typeof values[k] === "number" && k.startsWith(prefix) && !k.endsWith("_INVALID"),
  );
  return (text) =>
    parseList(text).map((word) => {
      const upper = word.toUpperCase();
      const name = names.find((n) => n === upper || n === prefix + upper);
      if (!name) {
        const known = names.map((n) => n.slice(prefix.length).toLowerCase()).join(", ");
        throw new InvalidArgumentError(`${shown(word)} is not one of ${known}`);
      }
      return values[name] as E;
    });
}

/** A uint64 written in decimal (a revision, a watch id), kept as the string the API takes. */
export function parseUint64(text: string): string {
  const t = text.trim();
  if (!/^\d{1,20}$/.test(t) || BigInt(t) > 2n ** 64n - 1n) {
    throw new InvalidArgumentError(`${shown(text)} is not a whole number below 2^64`);
  }
  return String(BigInt(t));
}
