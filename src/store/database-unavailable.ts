/** Socket errors that mean the database cannot be reached (or the connection to it broke). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * SQLSTATEs of a server that is not there to answer: connection exceptions (class 08), shutting
 * down or starting up (57P01-57P03), out of connections (53300), a statement cancelled by
 * `statement_timeout` (57014).
 */
const unavailableState = (code: string): boolean =>
  code.startsWith("08") || ["57P01", "57P02", "57P03", "53300", "57014"].includes(code);

/** What node-postgres throws itself when a connection ends or cannot be had. */
const DRIVER_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
];

/**
 * Whether an error means "the database does not answer now" (a client may try again), as
 * opposed to a bug or a bad statement: looks through `cause` and AggregateError's `errors`.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (depth > 5 || typeof e !== "object" || e === null) return false;
  const { code, message, cause, errors } = e as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === "string" &&
    (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableState(code)))
  )
    return true;
  if (typeof message === "string" && DRIVER_MESSAGES.some((m) => message.startsWith(m))) return true;
  if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return cause !== undefined && isDatabaseUnavailable(cause, depth + 1);
}
