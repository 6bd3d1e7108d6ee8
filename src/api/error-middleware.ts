import { type CallContext, ServerError, type ServerMiddlewareCall, Status } from "nice-grpc";
import { BadRequest, RichServerError } from "nice-grpc-error-details";
import type { Logger } from "pino";
import { type AppError, type ErrorCode, isAppError } from "../lib/app-error.js";
import { isDatabaseUnavailable } from "../store/database-unavailable.js";

const STATUS_OF: Record<ErrorCode, Status> = {
  INVALID_ARGUMENT: Status.INVALID_ARGUMENT,
  NOT_FOUND: Status.NOT_FOUND,
  ALREADY_EXISTS: Status.ALREADY_EXISTS,
  ABORTED: Status.ABORTED,
  FAILED_PRECONDITION: Status.FAILED_PRECONDITION,
  OUT_OF_RANGE: Status.OUT_OF_RANGE,
  RESOURCE_EXHAUSTED: Status.RESOURCE_EXHAUSTED,
  UNIMPLEMENTED: Status.UNIMPLEMENTED,
  UNAVAILABLE: Status.UNAVAILABLE,
};

/** The gRPC error for a domain error; field violations travel as a google.rpc.BadRequest. */
export function toServerError(e: AppError): ServerError {
  const status = STATUS_OF[e.code];
  if (e.violations.length === 0) return new ServerError(status, e.message);
  return new RichServerError(status, e.message, [
    BadRequest.fromPartial({ fieldViolations: e.violations.map((v) => ({ ...v })) }),
  ]);
}

const isAbort = (e: unknown): boolean => e instanceof Error && e.name === "AbortError";

/**
 * Turns whatever a handler throws into a gRPC status: AppError by its code, ServerError as
 * it is, a cancelled call as CANCELLED, a database that does not answer as UNAVAILABLE (a
 * client may try again); anything else is INTERNAL, logged with the request id.
 */
export const errorMiddleware = (log: Logger) =>
  async function* errors<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    try {
      return yield* call.next(call.request, context);
    } catch (e) {
      if (isAppError(e)) throw toServerError(e);
      if (e instanceof ServerError) throw e;
      if (isAbort(e) || context.signal.aborted) throw new ServerError(Status.CANCELLED, "call cancelled");
      if (isDatabaseUnavailable(e)) {
        log.warn(
          { err: e, method: call.method.path, requestId: context.metadata.get("x-request-id") },
          "database unavailable",
        );
        throw new ServerError(Status.UNAVAILABLE, "the database does not answer; try again");
      }
      log.error(
        { err: e, method: call.method.path, requestId: context.metadata.get("x-request-id") },
        "internal error",
      );
      throw new ServerError(Status.INTERNAL, "internal error; see the server log for this request id");
    }
  };
