import { AppError } from "../lib/app-error.js";

/** A required string field (ids, names): present and non-blank. */
export function required(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === "") throw AppError.invalid(field, "is required");
  return value;
}

/** A required message field. */
export function requiredMessage<T>(value: T | undefined, field: string): T {
  if (value === undefined || value === null) throw AppError.invalid(field, "is required");
  return value;
}

/**
 * Maps a proto enum value to a domain name via `table`; the zero value maps to `fallback`
 * (or is refused when there is none), and values the table lacks are refused.
 */
export function enumValue<E extends number, D>(
  value: E | undefined,
  table: ReadonlyMap<number, D>,
  field: string,
  fallback?: D,
): D {
  if ((value === undefined || value === 0) && fallback !== undefined) return fallback;
  const d = value === undefined ? undefined : table.get(value);
  if (d === undefined) throw AppError.invalid(field, `${value ?? 0} is not an accepted value`);
  return d;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID_PATTERN.test(s);

/** Epoch milliseconds as RFC 3339 in UTC, as Peloton's string timestamps are written. */
export const rfc3339 = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "" : new Date(ms).toISOString();
