import { describe, expect, it } from "vitest";
import { track } from "../../../../../src/engine/kinds/workflow/actions/track.js";
import { podRuntime } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { rollingJobInput, runLaunched, withPool } from "../../../support/jobs.js";
import { createWorkflowOf, workflowContext } from "../../../support/workflow-context.js";

describe("track", () => {
  it("brings no instance up, however much room there is", () => {
    expect(track(workflowContext({ workflow: createWorkflowOf(3, { startPaused: true }) }))).toMatchObject({
      create: [],
      more: true,
    });
  });

  it("still records the instances that came up, and may succeed on that alone", () => {
    const running = [0, 1, 2].map((i) => podRuntime(i, { state: "RUNNING" }));
    const step = track(workflowContext({ pods: running, job: { goalState: "KILLED" } }));
    expect(step.create).toEqual([]);
    expect(step.workflow).toMatchObject({ state: "SUCCEEDED", instancesDone: [[0, 3]] });
    expect(step.event?.state).toBe("SUCCEEDED");
  });

  it("in the engine: a paused create workflow creates nothing until it is resumed", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await h.engine.createJob(rollingJobInput(2, { startPaused: true }));
    await h.advance(10_000);
    expect(h.engine.pods(job.id)).toEqual([]);
    expect(h.metrics.actions.get("workflow/track")).toBeGreaterThan(0);
    expect(h.metrics.actions.get("workflow/roll")).toBeUndefined();
    await h.engine.workflowCommand(job.id, "resume", undefined, undefined);
    await h.engine.idle();
    expect(h.engine.pods(job.id)).toHaveLength(2);
    await runLaunched(h);
    expect(h.store.workflows.get(job.id)?.state).toBe("SUCCEEDED");
  });

  it("in the engine: a job stopped while its workflow rolls gets no more instances", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await h.engine.createJob(rollingJobInput(3, { batchSize: 1 }));
    await h.engine.idle();
    await h.engine.setJobGoal(job.id, "KILLED", undefined);
    await runLaunched(h);
    await h.advance(10_000);
    expect(h.engine.pods(job.id)).toHaveLength(1);
    expect(h.store.workflows.get(job.id)?.state).toBe("ROLLING_FORWARD");
  });
});
