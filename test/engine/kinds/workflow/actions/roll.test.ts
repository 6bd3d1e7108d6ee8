import { describe, expect, it } from "vitest";
import { roll } from "../../../../../src/engine/kinds/workflow/actions/roll.js";
import { podRuntime } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { rollingJobInput, runLaunched, withPool } from "../../../support/jobs.js";
import { createWorkflowOf, workflowContext } from "../../../support/workflow-context.js";

describe("roll", () => {
  it("brings the missing instances up, at most `room` this tick, and says more are to come", () => {
    const step = roll(workflowContext({ room: 2 }));
    expect(step.create).toEqual([0, 1]);
    expect(step.more).toBe(true);
    expect(step.workflow).toMatchObject({
      state: "ROLLING_FORWARD",
      instancesCurrent: [[0, 2]],
      updatedAt: 1_000,
    });
    expect(step.instanceEvents).toEqual([
      expect.objectContaining({ state: "ROLLING_FORWARD", instances: [[0, 2]], at: 1_000 }),
    ]);
  });

  it("keeps batch_size instances coming up, and records those that came up", () => {
    const ctx = workflowContext({ workflow: createWorkflowOf(3, { batchSize: 1 }) });
    expect(roll(ctx).create).toEqual([0]);
    const next = roll({ ...ctx, pods: [podRuntime(0, { state: "RUNNING" })] });
    expect(next.create).toEqual([1]);
    expect(next.workflow?.instancesDone).toEqual([[0, 1]]);
  });

  it("in the engine: the create workflow brings a job up batch by batch and succeeds", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await h.engine.createJob(rollingJobInput(3, { batchSize: 1 }));
    await h.engine.idle();
    for (let up = 1; up <= 3; up++) {
      expect(h.engine.pods(job.id)).toHaveLength(up);
      expect(h.store.workflows.get(job.id)?.state).toBe("ROLLING_FORWARD");
      await runLaunched(h);
    }
    expect(h.store.workflows.get(job.id)).toMatchObject({ state: "SUCCEEDED", instancesDone: [[0, 3]] });
    const started = h.store.workflowEvents.filter((e) => e.jobId === job.id && e.state === "ROLLING_FORWARD");
    expect(started.map((e) => e.instances)).toEqual([undefined, [[0, 1]], [[1, 2]], [[2, 3]]]);
  });
});
