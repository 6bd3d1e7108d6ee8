/**
 * The error domain code throws. `api/` maps `code` to the gRPC status of the same name;
 * anything that is not an AppError becomes INTERNAL and is logged.
 */
export const ERROR_CODES = [
  "INVALID_ARGUMENT",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "ABORTED",
  "FAILED_PRECONDITION",
  "OUT_OF_RANGE",
  "RESOURCE_EXHAUSTED",
  "UNIMPLEMENTED",
  "UNAVAILABLE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldViolation {
  /** Dotted field path in the request, e.g. `spec.resources[0].limit`. */
  field: string;
  /** What the field breaks, e.g. `must be >= reservation (4)`. */
  description: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
  ) {
    super(message);
  }

  /** INVALID_ARGUMENT for one field: the message is `<field>: <rule>`. */
  static invalid(field: string, description: string): AppError {
    return new AppError("INVALID_ARGUMENT", `${field}: ${description}`, [{ field, description }]);
  }

  static notFound(message: string): AppError {
    return new AppError("NOT_FOUND", message);
  }

  static alreadyExists(message: string): AppError {
    return new AppError("ALREADY_EXISTS", message);
  }

  static failedPrecondition(message: string): AppError {
    return new AppError("FAILED_PRECONDITION", message);
  }

  static aborted(message: string): AppError {
    return new AppError("ABORTED", message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
