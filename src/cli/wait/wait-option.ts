import { Option } from "@commander-js/extra-typings";
import { CliError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { parseDuration } from "../parse-args.js";
import { failureText } from "../report-error.js";
import { lineDisplay } from "./line-display.js";
import { pollProgress } from "./poll-progress.js";
import { terminalDisplay } from "./terminal-display.js";
import { waitForJob } from "./wait-for-job.js";
import type { WaitGoal } from "./wait-goal.js";
import { watchProgress } from "./watch-progress.js";

export const WAIT_HELP =
  "follow the job until it gets there, with live progress; exit 0 on success, 3 on FAILED/ROLLED_BACK/ABORTED, 4 on a timeout";

export const waitTimeoutOption = () =>
  new Option("--wait-timeout <duration>", "give up waiting after this long (0: never)")
    .default(600_000, "10m")
    .argParser(parseDuration);

const EXIT_OF = {
  succeeded: EXIT.OK,
  failed: EXIT.WAIT_FAILED,
  timeout: EXIT.WAIT_TIMEOUT,
  interrupted: EXIT.INTERRUPTED,
};

/**
 * `--wait`: follows the job through Watch (GetJob polls on a server without it), shows the
 * progress (redrawn on a terminal, a line per change elsewhere; on stderr under --json), and
 * ends the command with the outcome's exit code.
 */
export async function waitForGoal(
  ctx: CommandContext,
  jobId: string,
  goal: WaitGoal,
  timeoutMs: number,
): Promise<void> {
  const clients = ctx.clients();
  const { clock, signal } = ctx.io;
  const stream = ctx.output().progressStream;
  const display =
    stream.isTTY === true
      ? terminalDisplay(stream, goal, jobId, clock, clock.now())
      : lineDisplay(stream, goal, jobId);
  const source = watchProgress(
    {
      watch: clients.watch,
      job: clients.job,
      clock,
      fallback: pollProgress(clients.job, jobId, clock),
      onReconnect: (e, ms) => ctx.io.stderr.write(`watch dropped (${failureText(e)}); again in ${ms} ms\n`),
    },
    jobId,
  );
  const outcome = await waitForJob({ source, goal, display, clock, timeoutMs, signal });
  if (outcome.kind !== "succeeded") throw new CliError("", EXIT_OF[outcome.kind]);
}
