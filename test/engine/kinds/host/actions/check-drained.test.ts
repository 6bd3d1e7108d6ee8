import { describe, expect, it } from "vitest";
import { checkDrained } from "../../../../../src/engine/kinds/host/actions/check-drained.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { hostContext } from "../../../support/host-context.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { hostSpec, RecordingFleet } from "../../../support/recording-fleet.js";

describe("checkDrained", () => {
  it("waits while a run is left on the host, or while its agent is lost", () => {
    expect(checkDrained(hostContext("DRAINING", "DOWN", { runs: 1 }))).toEqual({});
    expect(checkDrained(hostContext("DRAINING", "DOWN", { agentUp: false }))).toEqual({});
  });

  it("moves an empty host to DRAINED and on at once", () => {
    const step = checkDrained(hostContext("DRAINING", "DOWN"));
    expect(step).toMatchObject({ host: { state: "DRAINED", updatedAt: 500 }, again: true });
  });

  it("in the engine: counts the runs the engine still has on the host, not only the agent's", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a"), hostSpec("b")] });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    const host = h.store.pod(job.id, 0)!.host!;
    // The agent holds no run (RecordingFleet.podCount is 0), but the engine's pod is KILLING there.
    await h.engine.startMaintenance([host]);
    await h.advance(5_000);
    expect(h.store.hosts.get(host)?.state).toBe("DRAINING");
    h.fleet.report(RecordingFleet.pod(`${job.id}-0-1`, "KILLED", h.clock.now(), { hostname: host }));
    await h.engine.idle();
    expect(h.store.hosts.get(host)?.state).toBe("DOWN");
  });
});
