import { formatElapsed, type ProgressDisplay, progressText } from "./progress-display.js";
import type { WaitGoal } from "./wait-goal.js";

/**
 * The display without a terminal (CI, pipes, files): one line each time what it would show
 * changes (elapsed time alone is no change), and a last line with the outcome.
 */
export function lineDisplay(
  out: { write(text: string): unknown },
  goal: WaitGoal,
  jobId: string,
): ProgressDisplay {
  let last = "";
  out.write(`Waiting for the ${goal.what} of job ${jobId}\n`);
  return {
    update(p, verdict, elapsedMs) {
      const { status, pods } = progressText(goal, p, verdict);
      const line = `${status} | ${pods}`;
      if (line === last) return;
      last = line;
      out.write(`[${formatElapsed(elapsedMs)}] ${line}\n`);
    },
    finish(outcome, elapsedMs) {
      out.write(`[${formatElapsed(elapsedMs)}] ${outcome.summary}\n`);
    },
  };
}
