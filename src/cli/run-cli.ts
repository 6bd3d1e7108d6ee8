import type { CliIo } from "./cli-io.js";
import { EXIT } from "./exit-codes.js";
import { buildProgram } from "./program.js";
import { reportError } from "./report-error.js";

/** Runs one command line (without `node` and the script) and returns its exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const { program, close } = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: "user" });
    return io.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
  } catch (e) {
    return io.signal.aborted ? EXIT.INTERRUPTED : reportError(e, io.stderr);
  } finally {
    close();
  }
}
