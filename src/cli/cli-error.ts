/**
 * A failure the CLI found itself, before or after a call (an unreadable spec file, a malformed
 * flag, a wait that ended badly): its message goes to stderr and `exitCode` ends the process.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
