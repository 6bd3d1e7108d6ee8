/** A string that must be quoted with backslash escapes inside an array literal. */
const NEEDS_ESCAPE = /["\\]/;
const ESCAPES = /["\\]/g;

/**
 * One column of values as a Postgres array literal (`{"a","b",NULL}`, `{1,2,NULL}`), for a
 * `$1::text[]`-style parameter. The driver's own array encoding escapes every element with two
 * regular expressions and grows the string piece by piece; this quotes strings that need no
 * escape (UUIDs, states, hostnames: nearly all of them) without touching them, and joins once.
 * `undefined` and `null` are NULL; numbers are written as they are; any other value as a string.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v === "number") parts[i] = Number.isFinite(v) ? String(v) : `"${v}"`;
    else {
      const s = typeof v === "string" ? v : String(v);
      parts[i] = NEEDS_ESCAPE.test(s) ? `"${s.replace(ESCAPES, "\\$&")}"` : `"${s}"`;
    }
  }
  return `{${parts.join(",")}}`;
}
