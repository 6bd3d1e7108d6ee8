import { describe, expect, it } from "vitest";
import { preempt } from "../../../../../src/engine/kinds/pod/actions/preempt.js";
import { poolConfig } from "../../../../support/pools.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness, type Harness } from "../../../support/engine-harness.js";
import { newJobInput, runLaunched } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { hostSpec, RecordingFleet } from "../../../support/recording-fleet.js";

describe("preempt", () => {
  it("kills a victim to free its resources; it comes back as a new run unless kill_on_preempt", () => {
    const ctx = podContext(
      { state: "RUNNING", host: "h0" },
      { template: { killGracePeriodMs: 100 }, timings: { killTimeoutMs: 900 } },
    );
    const step = preempt(ctx, "pool b is below its entitlement");
    expect(step.pod).toMatchObject({
      state: "PREEMPTING",
      goal: "RUNNING",
      terminationReason: "PREEMPTED_RESOURCES",
      message: "preempted: pool b is below its entitlement",
      updatedAt: NOW,
    });
    expect(step).toMatchObject({ event: true, kill: true, recheckAt: NOW + 1_000 });
    const gone = preempt({ ...ctx, template: podTemplate({ killOnPreempt: true }) }, "r");
    expect(gone.pod).toMatchObject({ state: "PREEMPTING", goal: "KILLED" });
  });
});

/** One host of 16 cpu shared by pools "a" and "b", each reserving 8. */
async function twoPools(): Promise<Harness> {
  const h = await engineHarness({ hosts: [hostSpec("h0", 16, 16_384)] });
  for (const id of ["a", "b"])
    await h.engine.createPool({
      id,
      parentId: "root",
      config: poolConfig(id, { cpu: [8, 32], memory: [8192, 32768] }),
    });
  return h;
}

/** Lets the agents run what is launched and end what is killed, until nothing changes. */
async function settle(h: Harness): Promise<void> {
  for (let i = 0; i < 20 && (h.fleet.launches.length > 0 || h.fleet.kills.length > 0 || i < 2); i++) {
    const killed = h.fleet.kills.splice(0);
    h.fleet.report(...killed.map((k) => RecordingFleet.pod(k.podId, "KILLED", h.clock.now())));
    await runLaunched(h);
    await h.advance(1_000);
  }
}

const running = (h: Harness, jobId: string) => h.engine.pods(jobId).filter((p) => p.state === "RUNNING");

describe("preempt in the engine", () => {
  for (const killOnPreempt of [false, true]) {
    it(`takes lent capacity back from preemptible pods${killOnPreempt ? ", which stay KILLED with kill_on_preempt" : ""}`, async () => {
      const h = await twoPools();
      const template = podTemplate({ preemptible: true, killOnPreempt });
      const borrower = await h.engine.createJob(
        newJobInput(12, { respoolId: "a", templates: { default: template, instances: {} } }),
      );
      await settle(h);
      expect(running(h, borrower.id)).toHaveLength(12);
      const owner = await h.engine.createJob(newJobInput(8, { respoolId: "b" }));
      await settle(h);
      expect(running(h, owner.id)).toHaveLength(8);
      expect(running(h, borrower.id)).toHaveLength(8);
      const victims = h.engine.pods(borrower.id).filter((p) => p.state !== "RUNNING");
      expect(victims).toHaveLength(4);
      for (const v of victims) {
        const events = h.store.podEvents.filter((e) => e.jobId === borrower.id && e.instance === v.instance);
        expect(events.map((e) => e.actualState)).toContain("PREEMPTING");
        expect(v.failureCount).toBe(0);
        if (killOnPreempt) expect(v).toMatchObject({ state: "KILLED", goal: "KILLED", runId: 1 });
        else expect(v).toMatchObject({ state: "PENDING", goal: "RUNNING", runId: 2 });
      }
    });
  }
});
