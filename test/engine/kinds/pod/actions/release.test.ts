import { describe, expect, it } from "vitest";
import { release } from "../../../../../src/engine/kinds/pod/actions/release.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { newJobInput, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";

describe("release", () => {
  it("ends a run not yet on an agent at once: KILLED, off its host, nothing to kill", () => {
    for (const state of ["INITIALIZED", "PENDING", "READY", "PLACING", "PLACED"] as const) {
      const step = release(
        podContext({ state, goal: "KILLED", host: "h0", ports: { http: 31000 }, reason: "x" }),
      );
      expect(step.pod).toMatchObject({
        state: "KILLED",
        host: null,
        ports: {},
        reason: "",
        terminationReason: "KILLED_ON_REQUEST",
        message: "stopped before it was launched",
        completedAt: NOW,
        failureCount: 0,
        runId: 1,
      });
      expect(step.event).toBe(true);
      expect(step.kill ?? false).toBe(false);
      expect(step.recheckAt).toBeUndefined();
    }
  });

  it("in the engine: a pod waiting for room that is stopped ends KILLED without a word to the fleet", async () => {
    const h = await engineHarness();
    await withPool(h.engine, 1);
    const job = await h.engine.createJob(newJobInput(2));
    await h.engine.idle();
    const waiting = [0, 1].find((i) => h.store.pod(job.id, i)?.state === "PENDING")!;
    expect(waiting).toBeDefined();
    await h.engine.podCommand(job.id, waiting, "stop");
    expect(h.store.pod(job.id, waiting)).toMatchObject({ state: "KILLED", goal: "KILLED", host: null });
    expect(h.fleet.kills).toEqual([]);
    expect(h.fleet.launches).toHaveLength(1);
    await h.advance(10_000);
    expect(h.store.pod(job.id, waiting)?.state).toBe("KILLED");
  });
});
