import { describe, expect, it } from "vitest";
import { checkKill } from "../../../../../src/engine/kinds/pod/actions/check-kill.js";
import { podTemplate } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

const grace = { killGracePeriodMs: 2_000 };
const timings = { killTimeoutMs: 5_000 };

describe("checkKill", () => {
  it("waits for the kill until grace period and kill timeout have passed since KILLING", () => {
    const step = checkKill(
      podContext({ state: "KILLING", goal: "KILLED", updatedAt: NOW - 6_999 }, { template: grace, timings }),
    );
    expect(step).toEqual({ recheckAt: NOW + 1 });
  });

  it("sends the kill again once they have, and checks again as long again later", () => {
    for (const state of ["KILLING", "PREEMPTING"] as const) {
      const step = checkKill(
        podContext({ state, goal: "RUNNING", updatedAt: NOW - 7_000 }, { template: grace, timings }),
      );
      expect(step).toEqual({ kill: true, recheckAt: NOW + 7_000 });
    }
  });

  it("in the engine: resends the kill after grace + killTimeoutMs, until the agent reports the run ended", async () => {
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await runningJob(h, 1, { templates: { default: podTemplate(grace), instances: {} } });
    await h.engine.setJobGoal(job.id, "KILLED", undefined);
    const kill = { podId: `${job.id}-0-1`, gracePeriodMs: 2_000 };
    expect(h.fleet.kills).toEqual([kill]);
    const killing = h.store.pod(job.id, 0);
    expect(killing?.state).toBe("KILLING");

    await h.advance(6_999);
    expect(h.fleet.kills).toHaveLength(1);
    await h.advance(1);
    expect(h.fleet.kills).toEqual([kill, kill]);
    await h.advance(7_000);
    expect(h.fleet.kills).toHaveLength(3);
    // Resending changes no row: the pod stays KILLING as it was.
    expect(h.store.pod(job.id, 0)).toBe(killing);

    h.fleet.report(RecordingFleet.pod(kill.podId, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.pod(job.id, 0)?.state).toBe("KILLED");
    await h.advance(30_000);
    expect(h.fleet.kills).toHaveLength(3);
    expect(h.store.jobs.get(job.id)?.state).toBe("KILLED");
  });
});
