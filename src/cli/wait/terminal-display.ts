import cliProgress from "cli-progress";
import type { Clock } from "../../lib/clock.js";
import { formatElapsed, type ProgressDisplay, progressText } from "./progress-display.js";
import type { WaitGoal } from "./wait-goal.js";

/** A terminal's stream: what cli-progress draws on. */
export interface TerminalStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * The display on a terminal, like `kubectl rollout status`: a progress bar with the instances
 * done, the workflow's state and the current batch, and under it the pods by state, redrawn in
 * place; elapsed time ticks every second. At the end the bars stay and the outcome follows.
 */
export function terminalDisplay(
  stream: TerminalStream,
  goal: WaitGoal,
  jobId: string,
  clock: Clock,
  startedAt: number,
): ProgressDisplay {
  stream.write(`Waiting for the ${goal.what} of job ${jobId}\n`);
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `${goal.what} [{bar}] {value}/{total} | {elapsed} | {status}`,
      barsize: 24,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: false,
      gracefulExit: false,
      emptyOnZero: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const progress = bars.create(0, 0, { status: "connecting…", elapsed: formatElapsed(0) });
  const pods = bars.create(0, 0, { pods: "" }, { format: "{pods}" });
  let cancelTick = () => {};
  const tick = () => {
    progress.update({ elapsed: formatElapsed(clock.now() - startedAt) });
    bars.update();
    cancelTick = clock.setTimer(1000, tick);
  };
  cancelTick = clock.setTimer(1000, tick);
  return {
    update(p, verdict, elapsedMs) {
      const { status, pods: podText } = progressText(goal, p, verdict);
      const { value, total } = goal.measure(p);
      progress.setTotal(total);
      progress.update(value, { status, elapsed: formatElapsed(elapsedMs) });
      pods.update(0, { pods: podText });
      bars.update();
    },
    finish(outcome, elapsedMs) {
      cancelTick();
      progress.update({ elapsed: formatElapsed(elapsedMs) });
      bars.update();
      bars.stop();
      stream.write(`${outcome.summary}\n`);
    },
  };
}
