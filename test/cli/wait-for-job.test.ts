import { describe, expect, it } from "vitest";
import { lineDisplay } from "../../src/cli/wait/line-display.js";
import { terminalDisplay } from "../../src/cli/wait/terminal-display.js";
import { waitForJob } from "../../src/cli/wait/wait-for-job.js";
import { runningGoal, stoppedGoal, type WaitGoal, workflowGoal } from "../../src/cli/wait/wait-goal.js";
import { ManualClock } from "../../src/lib/clock.js";
import { Capture, escapes, fakeSource, progress, withoutEscapes, workflow } from "./support/fake-progress.js";

const update = workflowGoal("update workflow", "2-1-1");

/** A rolling update of 4 instances in batches of 2 that ends in `end`. */
const rollout = (end: string) => [
  progress({ workflow: workflow("SUCCEEDED", 4, 0, 0, [], "1-1-1"), pods: { RUNNING: 4 } }),
  progress({ workflow: workflow("ROLLING_FORWARD", 0, 0, 4, [0, 1]), pods: { RUNNING: 2, KILLING: 2 } }),
  progress({ workflow: workflow("ROLLING_FORWARD", 0, 0, 4, [0, 1]), pods: { RUNNING: 2, KILLING: 2 } }),
  progress({
    workflow: workflow("ROLLING_FORWARD", 2, 0, 2, [2, 3]),
    pods: { RUNNING: 2, STARTING: 1, PENDING: 1 },
  }),
  progress({ workflow: workflow(end, 2, 2, 0), pods: { RUNNING: 2, FAILED: 2 } }),
];

function run(goal: WaitGoal, steps: Parameters<typeof fakeSource>[0], timeoutMs = 0) {
  const clock = new ManualClock(0);
  const out = new Capture();
  const fake = fakeSource(steps);
  const interrupt = new AbortController();
  const outcome = waitForJob({
    source: fake.source,
    goal,
    display: lineDisplay(out, goal, "job-1"),
    clock,
    timeoutMs,
    signal: interrupt.signal,
  });
  return { clock, out, fake, interrupt, outcome };
}

describe("--wait", () => {
  it("follows the workflow it started to SUCCEEDED: a line per change, then the outcome", async () => {
    const steps = rollout("SUCCEEDED").slice(0, 4);
    steps.push(progress({ workflow: workflow("SUCCEEDED", 4, 0, 0), pods: { RUNNING: 4 } }));
    const { out, fake, outcome } = run(update, steps);
    expect(await outcome).toEqual({ kind: "succeeded", summary: "update workflow SUCCEEDED: 4 done" });
    expect(out.text).toBe(
      [
        "Waiting for the update workflow of job job-1",
        "[0:00] job RUNNING (waiting for the workflow to 2-1-1 to show) | pods RUNNING 4",
        "[0:00] ROLLING_FORWARD: 0 done, 0 failed, 4 remaining, batch 0-1 | pods RUNNING 2, KILLING 2",
        "[0:00] ROLLING_FORWARD: 2 done, 0 failed, 2 remaining, batch 2-3 | pods PENDING 1, STARTING 1, RUNNING 2",
        "[0:00] SUCCEEDED: 4 done, 0 failed, 0 remaining | pods RUNNING 4",
        "[0:00] update workflow SUCCEEDED: 4 done",
        "",
      ].join("\n"),
    );
    expect(fake.wasAborted()).toBe(false);
  });

  for (const end of ["ROLLED_BACK", "FAILED", "ABORTED"]) {
    it(`ends as a failure when the workflow ends ${end}`, async () => {
      const { out, outcome } = run(update, rollout(end));
      expect(await outcome).toEqual({ kind: "failed", summary: `update workflow ${end}: 2 done, 2 failed` });
      expect(out.text.trimEnd().split("\n").at(-1)).toBe(`[0:00] update workflow ${end}: 2 done, 2 failed`);
    });
  }

  it("times out on the clock, telling where the job stood, and stops the source", async () => {
    const { clock, out, fake, outcome } = run(update, rollout("x").slice(0, 2), 60_000);
    await fake.drained;
    clock.advance(59_999);
    clock.advance(1);
    expect(await outcome).toEqual({
      kind: "timeout",
      summary:
        "update workflow: timed out after 1:00 (last: ROLLING_FORWARD: 0 done, 0 failed, 4 remaining, batch 0-1)",
    });
    expect(out.text).toMatch(/\n\[1:00\] update workflow: timed out after 1:00/);
    await expect.poll(() => fake.wasAborted()).toBe(true);
  });

  it("ends when interrupted", async () => {
    const { interrupt, fake, outcome } = run(update, rollout("x").slice(0, 2));
    await fake.drained;
    interrupt.abort();
    expect((await outcome).kind).toBe("interrupted");
  });

  it("passes on the source's failure after finishing the display", async () => {
    const clock = new ManualClock(0);
    const out = new Capture();
    const failing = async function* () {
      yield progress();
      throw new Error("connection reset");
    };
    await expect(
      waitForJob({
        source: failing,
        goal: runningGoal,
        display: lineDisplay(out, runningGoal, "job-1"),
        clock,
        timeoutMs: 0,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow("connection reset");
    expect(out.text).toMatch(/\[0:00\] start: connection reset\n$/);
  });

  it("judges a start by every instance running, and gives up when the goal moves away", () => {
    expect(runningGoal.judge(progress({ state: "PENDING", pods: { RUNNING: 3, PENDING: 1 } })).done).toBe(
      false,
    );
    expect(runningGoal.judge(progress({ pods: { RUNNING: 4 } }))).toEqual({
      done: true,
      ok: true,
      summary: "RUNNING: 4/4 pods running",
    });
    expect(runningGoal.judge(progress({ goal: "KILLED" }))).toMatchObject({ done: true, ok: false });
    expect(runningGoal.measure(progress({ pods: { RUNNING: 3 } }))).toEqual({ value: 3, total: 4 });
  });

  it("judges a stop by every pod having ended, and gives up when the goal is RUNNING again", () => {
    const stopping = progress({ goal: "KILLED", state: "KILLING", pods: { KILLED: 3, KILLING: 1 } });
    expect(stoppedGoal.judge(stopping).done).toBe(false);
    expect(stoppedGoal.measure(stopping)).toEqual({ value: 3, total: 4 });
    expect(
      stoppedGoal.judge(progress({ goal: "KILLED", state: "KILLED", pods: { KILLED: 4 } })),
    ).toMatchObject({
      done: true,
      ok: true,
    });
    expect(stoppedGoal.judge(progress({ goal: "RUNNING", state: "KILLING" }))).toMatchObject({
      done: true,
      ok: false,
    });
  });

  it("on a terminal, draws a bar with the batch and the pods by state, redrawn in place, elapsed ticking", async () => {
    const clock = new ManualClock(0);
    const tty = new Capture(true, 140);
    const display = terminalDisplay(tty, update, "job-1", clock, 0);
    const steps = rollout("SUCCEEDED");
    display.update(steps[1]!, update.judge(steps[1]!), 0);
    clock.advance(1000);
    display.update(steps[3]!, update.judge(steps[3]!), 1000);
    const frames = withoutEscapes(tty.text);
    expect(frames).toMatch(
      /update workflow \[[█░]{24}\] 0\/4 \| 0:00 \| ROLLING_FORWARD: 0 done, 0 failed, 4 remaining, batch 0-1/,
    );
    expect(frames).toContain("update workflow [" + "█".repeat(12) + "░".repeat(12) + "] 2/4 | 0:01");
    expect(frames).toContain("pods PENDING 1, STARTING 1, RUNNING 2");
    expect(escapes(tty.text)).toBeGreaterThan(4);
    display.finish({ kind: "succeeded", summary: "update workflow SUCCEEDED: 4 done" }, 2000);
    expect(tty.text.endsWith("update workflow SUCCEEDED: 4 done\n")).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
