import { Status } from "nice-grpc";

/** Exit codes the CLI's own outcomes end with (README: "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** The CLI's own failure: a file it cannot read, a spec that does not parse. */
  ERROR: 1,
  /** Unknown command or option, a missing or malformed argument. */
  USAGE: 2,
  /** `--wait` saw the workflow or job end FAILED, ROLLED_BACK or ABORTED, or its goal abandoned. */
  WAIT_FAILED: 3,
  /** `--wait`'s limit passed before the job got there. */
  WAIT_TIMEOUT: 4,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  INTERRUPTED: 130,
} as const;

/** One exit code per class of gRPC status: what a script can do about it. */
export const STATUS_CLASSES = {
  /** The server rejected the request as malformed: fix the input. */
  rejected: 10,
  /** What the request names does not exist. */
  notFound: 11,
  /** The request conflicts with the current state (an entity version, a state, a duplicate): re-read, retry. */
  conflict: 12,
  /** No or bad credentials, or not allowed. */
  denied: 13,
  /** The server is unreachable, busy or slow: try again later. */
  unavailable: 14,
  /** The server does not do this (yet). */
  unimplemented: 15,
  /** The server failed. */
  serverError: 16,
} as const;
export type StatusClass = keyof typeof STATUS_CLASSES;

type StatusName = Exclude<keyof typeof Status, "OK">;

export const STATUS_CLASS_OF = {
  INVALID_ARGUMENT: "rejected",
  OUT_OF_RANGE: "rejected",
  NOT_FOUND: "notFound",
  ALREADY_EXISTS: "conflict",
  ABORTED: "conflict",
  FAILED_PRECONDITION: "conflict",
  UNAUTHENTICATED: "denied",
  PERMISSION_DENIED: "denied",
  UNAVAILABLE: "unavailable",
  DEADLINE_EXCEEDED: "unavailable",
  RESOURCE_EXHAUSTED: "unavailable",
  CANCELLED: "unavailable",
  UNIMPLEMENTED: "unimplemented",
  INTERNAL: "serverError",
  UNKNOWN: "serverError",
  DATA_LOSS: "serverError",
} as const satisfies Record<StatusName, StatusClass>;

/** The exit code of a failed call's status. */
export function exitCodeOfStatus(code: Status): number {
  const name = Status[code] as StatusName | "OK" | undefined;
  if (name === undefined || name === "OK") return STATUS_CLASSES.serverError;
  return STATUS_CLASSES[STATUS_CLASS_OF[name]];
}
