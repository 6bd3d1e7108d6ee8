import { randomUUID } from "node:crypto";
import { type CallContext, ServerError, type ServerMiddlewareCall, Status } from "nice-grpc";
import type { Logger } from "pino";

const STATUS_NAMES = Object.fromEntries(
  Object.entries(Status)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => [v, k]),
) as Record<number, string>;

/**
 * One log line per call: method, status, duration and request id (the client's
 * `x-request-id`, or a new one, echoed back in the response header). Request and response
 * bodies are never logged, so secrets cannot leak through here.
 */
export const loggingMiddleware = (log: Logger, now: () => number = () => performance.now()) =>
  async function* logging<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    const requestId = context.metadata.get("x-request-id") ?? randomUUID();
    context.metadata.set("x-request-id", requestId);
    context.header.set("x-request-id", requestId);
    const started = now();
    let code = Status.OK;
    try {
      return yield* call.next(call.request, context);
    } catch (e) {
      code = e instanceof ServerError ? e.code : Status.UNKNOWN;
      throw e;
    } finally {
      const line = {
        method: call.method.path,
        code: STATUS_NAMES[code] ?? String(code),
        ms: Math.round((now() - started) * 100) / 100,
        requestId,
      };
      if (code === Status.OK || code === Status.CANCELLED) log.info(line, "call");
      else if (code === Status.INTERNAL || code === Status.UNKNOWN) log.error(line, "call");
      else log.warn(line, "call");
    }
  };
