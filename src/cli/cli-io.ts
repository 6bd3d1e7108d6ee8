import type { Clock } from "../lib/clock.js";
import type { TerminalStream } from "./wait/terminal-display.js";

/** What a CLI run writes to and is stopped by: the process's, or a test's. */
export interface CliIo {
  readonly stdout: TerminalStream;
  readonly stderr: TerminalStream;
  /** Aborted on Ctrl-C: a wait or a watch ends, the process exits with 130. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
}
