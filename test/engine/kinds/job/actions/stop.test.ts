import { describe, expect, it } from "vitest";
import type { JobGoal } from "../../../../../src/domain/job.js";
import type { PodRuntime } from "../../../../../src/domain/pod.js";
import { stop } from "../../../../../src/engine/kinds/job/actions/stop.js";
import { jobRecord } from "../../../../support/commit.js";
import { podRuntime, podTemplate, TEST_JOB } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { runningJob, withPool } from "../../../support/jobs.js";
import { RecordingFleet } from "../../../support/recording-fleet.js";

const NOW = 7_000;
const step = (goalState: JobGoal, pods: PodRuntime[], state: "RUNNING" | "KILLING" = "RUNNING") =>
  stop({
    job: jobRecord(TEST_JOB, { goalState, state }),
    pods,
    templates: { default: podTemplate(), instances: {} },
    workflow: undefined,
    now: NOW,
    room: 100,
  });

describe("stop", () => {
  it("is KILLING while a pod has not ended, then KILLED", () => {
    const killing = step("KILLED", [podRuntime(0, { state: "KILLED" }), podRuntime(1, { state: "KILLING" })]);
    expect(killing).toMatchObject({ newPods: [], more: false, job: { state: "KILLING", completedAt: null } });
    const killed = step(
      "KILLED",
      [podRuntime(0, { state: "KILLED" }), podRuntime(1, { state: "FAILED" })],
      "KILLING",
    );
    expect(killed.job).toMatchObject({ state: "KILLED", completedAt: NOW, updatedAt: NOW, revision: 2 });
    expect(killed.delete).toBeUndefined();
  });

  it("removes a job meant to be DELETED once none of its pods is left running", () => {
    expect(step("DELETED", [podRuntime(0, { state: "RUNNING" })]).job?.state).toBe("KILLING");
    expect(step("DELETED", [podRuntime(0, { state: "KILLED" })])).toMatchObject({
      delete: true,
      newPods: [],
    });
    expect(step("DELETED", [])).toMatchObject({ delete: true });
  });

  it("changes nothing when the state is already right", () => {
    expect(step("KILLED", [podRuntime(0, { state: "KILLING" })], "KILLING")).toEqual({
      newPods: [],
      more: false,
    });
  });
});

describe("stop in the engine", () => {
  it("takes a job through KILLING to KILLED as its agents report the kills; DeleteJob then removes it", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await runningJob(h, 2);
    await h.engine.setJobGoal(job.id, "KILLED", undefined);
    expect(h.store.jobs.get(job.id)).toMatchObject({ goalState: "KILLED", state: "KILLING" });
    const [first, second] = h.fleet.kills.splice(0);
    h.fleet.report(RecordingFleet.pod(first!.podId, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.jobs.get(job.id)?.state).toBe("KILLING");
    h.fleet.report(RecordingFleet.pod(second!.podId, "KILLED", h.clock.now()));
    await h.engine.idle();
    expect(h.store.jobs.get(job.id)).toMatchObject({ state: "KILLED", completedAt: h.clock.now() });

    await h.engine.setJobGoal(job.id, "DELETED", undefined);
    await h.engine.idle();
    expect(h.store.jobs.has(job.id)).toBe(false);
    expect(h.store.pod(job.id, 0)).toBeUndefined();
    expect(h.engine.job(job.id)).toBeUndefined();
    expect(h.store.commits.at(-1)?.changes.deleteJobs).toEqual([job.id]);
  });
});
