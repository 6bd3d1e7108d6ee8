import { type CallContext, ServerError, type ServerMiddlewareCall, Status } from "nice-grpc";
import type { Credentials, Principal } from "./credentials.js";
import { accessNeeded } from "./method-access.js";

/** Longest credential header read; anything longer is refused unread. */
const MAX_HEADER = 4096;

const MISSING =
  "this server needs credentials: send `authorization: Bearer <token>`, or `username` and `password` metadata";

function principalOf(
  metadata: CallContext["metadata"],
  credentials: Credentials,
): Principal | "missing" | "invalid" {
  const authorization = metadata.get("authorization");
  const username = metadata.get("username");
  const password = metadata.get("password");
  if (authorization !== undefined) {
    if (typeof authorization !== "string" || authorization.length > MAX_HEADER) return "invalid";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return "invalid";
    return credentials.bearer(m[1]!) ?? "invalid";
  }
  if (username !== undefined || password !== undefined) {
    if (typeof username !== "string" || typeof password !== "string") return "invalid";
    if (username.length > MAX_HEADER || password.length > MAX_HEADER) return "invalid";
    return credentials.user(username, password) ?? "invalid";
  }
  return "missing";
}

/**
 * Every call but health and reflection needs a known bearer token or username/password:
 * UNAUTHENTICATED without one (or with a wrong one), PERMISSION_DENIED for a write with a
 * read-only credential. `credentials()` is asked on every call, so a reloaded file takes effect
 * at once. Secrets are never logged or echoed.
 */
export const authMiddleware = (credentials: () => Credentials) =>
  async function* authenticate<Req, Res>(call: ServerMiddlewareCall<Req, Res>, context: CallContext) {
    const needed = accessNeeded(call.method.path);
    if (needed !== "open") {
      const who = principalOf(context.metadata, credentials());
      if (who === "missing") throw new ServerError(Status.UNAUTHENTICATED, MISSING);
      if (who === "invalid") throw new ServerError(Status.UNAUTHENTICATED, "invalid credentials");
      if (needed === "write" && who.access !== "read-write") {
        throw new ServerError(
          Status.PERMISSION_DENIED,
          `${who.name} has read-only access; ${call.method.path.slice(1)} needs read-write`,
        );
      }
    }
    return yield* call.next(call.request, context);
  };
