import { describe, expect, it } from "vitest";
import { enqueue } from "../../../../../src/engine/kinds/pod/actions/enqueue.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { newJobInput, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";

describe("enqueue", () => {
  it("moves a new run from INITIALIZED to PENDING, recording the transition", () => {
    const step = enqueue(podContext({ state: "INITIALIZED", reason: "old" }));
    expect(step.pod).toMatchObject({
      state: "PENDING",
      message: "waiting for admission and placement",
      reason: "",
      updatedAt: NOW,
      revision: 4,
      runId: 1,
    });
    expect(step.event).toBe(true);
    expect(step.launch ?? false).toBe(false);
    expect(step.kill ?? false).toBe(false);
    expect(step.recheckAt).toBeUndefined();
  });

  it("puts a new pod in the queue in the tick that creates it: one commit records INITIALIZED and PENDING", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await h.engine.createJob(newJobInput(1));
    await h.engine.idle();
    const created = h.store.commits.find((c) => c.changes.pods.some((p) => p.jobId === job.id))!;
    const states = created.changes.podEvents.filter((e) => e.jobId === job.id).map((e) => e.actualState);
    expect(states.slice(0, 2)).toEqual(["INITIALIZED", "PENDING"]);
    expect(h.metrics.actions.get("pod/enqueue")).toBe(1);
  });
});
