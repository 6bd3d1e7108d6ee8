import { CommanderError } from "@commander-js/extra-typings";
import { ClientError, Status } from "nice-grpc";
import { BadRequest, RichClientError } from "nice-grpc-error-details";
import { CliError } from "./cli-error.js";
import { EXIT, exitCodeOfStatus } from "./exit-codes.js";

/** Commander's codes for a run that showed help or the version as asked: a success. */
const SHOWN = new Set(["commander.helpDisplayed", "commander.version"]);

const violationsOf = (e: ClientError): string[] =>
  e instanceof RichClientError
    ? e.extra.flatMap((d) =>
        d.$type === BadRequest.$type ? d.fieldViolations.map((v) => `${v.field}: ${v.description}`) : [],
      )
    : [];

/** A failure in a few words: a call's as `<STATUS>: <the server's message>`. */
export const failureText = (e: unknown): string =>
  e instanceof ClientError ? `${Status[e.code]}: ${e.details}` : e instanceof Error ? e.message : String(e);

/**
 * Writes what went wrong to stderr and returns the exit code: a failed call as
 * `peloton: <STATUS>: <the server's message>` (and each field it names), exiting with its
 * status class's code; the CLI's own errors with theirs; usage errors (already shown) with 2.
 */
export function reportError(e: unknown, stderr: { write(text: string): unknown }): number {
  if (e instanceof CommanderError) return SHOWN.has(e.code) ? EXIT.OK : EXIT.USAGE;
  if (e instanceof CliError) {
    if (e.message) stderr.write(`peloton: ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof ClientError) {
    const extra = violationsOf(e).filter((v) => v !== e.details);
    stderr.write(`peloton: ${Status[e.code]}: ${e.details}\n${extra.map((v) => `  ${v}\n`).join("")}`);
    return exitCodeOfStatus(e.code);
  }
  if (e instanceof Error && e.name === "AbortError") return EXIT.INTERRUPTED;
  stderr.write(`peloton: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.ERROR;
}
