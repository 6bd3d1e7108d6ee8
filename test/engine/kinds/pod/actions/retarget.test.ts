import { describe, expect, it } from "vitest";
import { retarget } from "../../../../../src/engine/kinds/pod/actions/retarget.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { newJobInput, outdate, runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

const outdated = { configVersion: 1, desiredConfigVersion: 2 };

describe("retarget", () => {
  it("gives a run not yet placed the desired version and looks at it again at once", () => {
    for (const state of ["INITIALIZED", "PENDING"] as const) {
      const ctx = podContext({ state, ...outdated });
      const step = retarget(ctx);
      expect(step.pod).toEqual({
        ...ctx.pod,
        configVersion: 2,
        updatedAt: NOW,
        revision: ctx.pod.revision + 1,
      });
      expect(step.recheckAt).toBe(NOW);
      expect(step.event ?? false).toBe(false);
    }
  });

  it("sends a PLACED run back to PENDING: its host was chosen for the old spec", () => {
    const step = retarget(podContext({ state: "PLACED", host: "h0", ports: { http: 31000 }, ...outdated }));
    expect(step.pod).toMatchObject({
      state: "PENDING",
      configVersion: 2,
      host: null,
      ports: {},
      runId: 1,
      message: "waiting for admission and placement",
      updatedAt: NOW,
    });
    expect(step.event).toBe(true);
    expect(step.kill ?? false).toBe(false);
    expect(step.launch ?? false).toBe(false);
  });

  it("in the engine: a pod waiting for room takes the new version, and runs it once it has room", async () => {
    const h = await engineHarness();
    await withPool(h.engine, 1);
    const job = await h.engine.createJob(newJobInput(2));
    await h.engine.idle();
    const waiting = [0, 1].find((i) => h.store.pod(job.id, i)?.state === "PENDING")!;
    const other = 1 - waiting;
    h.fleet.launches.splice(0);
    await outdate(h, job.id, podTemplate({ containers: [{ name: "c", command: "v2" }] }), [waiting]);
    expect(h.store.pod(job.id, waiting)).toMatchObject({ state: "PENDING", runId: 1, configVersion: 2 });
    // The other pod leaves its room once its agent reports it killed.
    await h.engine.podCommand(job.id, other, "stop");
    h.fleet.report(RecordingFleet.pod(`${job.id}-${other}-1`, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.pod(job.id, waiting)).toMatchObject({ state: "LAUNCHING", runId: 1, configVersion: 2 });
    expect(h.fleet.launches.map((l) => l.containers[0]?.command)).toEqual(["v2"]);
  });

  it("in the engine: a PLACED pod goes back to PENDING and is placed and launched anew on the new version", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    // The store holds the run PLACED (not yet launched), as a crash between placement and launch leaves it.
    h.store.pods.set(`${job.id}:0`, { ...h.store.pod(job.id, 0)!, state: "PLACED" });
    const events = h.store.podEvents.length;
    await outdate(h, job.id, podTemplate({ containers: [{ name: "c", command: "v2" }] }), [0]);
    const after = h.store.podEvents.slice(events).map((e) => [e.actualState, e.configVersion]);
    expect(after).toEqual([
      ["PENDING", 2],
      ["PLACED", 2],
      ["LAUNCHING", 2],
    ]);
    expect(h.store.pod(job.id, 0)).toMatchObject({ state: "LAUNCHING", runId: 1, configVersion: 2 });
    expect(h.fleet.launches.map((l) => l.containers[0]?.command)).toEqual(["v2"]);
  });
});
