import { describe, expect, it } from "vitest";
import { startDrain } from "../../../../../src/engine/kinds/host/actions/start-drain.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { hostContext } from "../../../support/host-context.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { hostSpec } from "../../../support/recording-fleet.js";

describe("startDrain", () => {
  it("stops placements on the host, has the drain round look at it, and moves on at once", () => {
    expect(startDrain(hostContext("UP", "DOWN", { runs: 3 }))).toEqual({
      host: { ...hostContext("UP", "DOWN").host, state: "DRAINING", updatedAt: 500 },
      reviewDrains: true,
      again: true,
    });
  });

  it("in the engine: the host is DRAINING and its runs are killed in one commit; nothing new is placed there", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a"), hostSpec("b")] });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    const host = h.store.pod(job.id, 0)!.host!;
    const before = h.store.commits.length;
    await h.engine.startMaintenance([host]);
    const commit = h.store.commits.slice(before);
    expect(commit).toHaveLength(1);
    expect(commit[0]!.changes.hosts).toEqual([
      expect.objectContaining({ hostname: host, state: "DRAINING", goal: "DOWN" }),
    ]);
    expect(commit[0]!.changes.pods).toEqual([expect.objectContaining({ state: "KILLING" })]);
    const other = await runningJob(h, 2);
    expect(h.engine.pods(other.id).map((p) => p.host)).not.toContain(host);
  });
});
