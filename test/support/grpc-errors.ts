import { ClientError, Status } from "nice-grpc";
import { BadRequest, RichClientError } from "nice-grpc-error-details";

export interface CallFailure {
  code: string;
  details: string;
  fields: string[];
}

/** Runs a call that must fail and returns its status name, message and violated fields. */
export async function failure(call: Promise<unknown>): Promise<CallFailure> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    const fields =
      e instanceof RichClientError
        ? e.extra.flatMap((d) => (d.$type === BadRequest.$type ? d.fieldViolations.map((v) => v.field) : []))
        : [];
    return { code: Status[e.code], details: e.details, fields };
  }
  throw new Error("the call succeeded but was expected to fail");
}
