import { describe, expect, it } from "vitest";
import type { JobRecord } from "../../../../../src/domain/job.js";
import type { JobTemplates, PodRuntime } from "../../../../../src/domain/pod.js";
import { createWorkflow, type WorkflowRecord } from "../../../../../src/domain/workflow.js";
import { run } from "../../../../../src/engine/kinds/job/actions/run.js";
import type { JobContext } from "../../../../../src/engine/kinds/job/job-context.js";
import { jobRecord } from "../../../../support/commit.js";
import { podRuntime, podTemplate, TEST_JOB } from "../../../../support/records.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { runLaunched } from "../../../support/jobs.js";
import { storeLegacyJob } from "../../../support/legacy-jobs.js";
import { MemoryStore } from "../../../support/memory-store.js";

const NOW = 5_000;
const templates: JobTemplates = { default: podTemplate(), instances: {} };
const workflow = (over: Partial<WorkflowRecord> = {}): WorkflowRecord => ({
  ...createWorkflow({
    id: "w",
    jobId: TEST_JOB,
    instanceCount: 3,
    settings: { batchSize: 0, maxInstanceRetries: 0, maxTolerableInstanceFailures: 0, startPaused: false },
    opaqueData: "",
    version: "1-1-1",
    now: 0,
  }),
  ...over,
});
const context = (over: Partial<Omit<JobContext, "job">> & { job?: Partial<JobRecord> } = {}): JobContext => ({
  pods: [],
  templates,
  workflow: workflow(),
  now: NOW,
  room: 100,
  ...over,
  job: jobRecord(TEST_JOB, { instanceCount: 3, ...over.job }),
});
const pod = (i: number, state: PodRuntime["state"], over: Partial<PodRuntime> = {}) =>
  podRuntime(i, { state, ...over });

describe("run, with a workflow", () => {
  it("follows the pods: INITIALIZED before any exists, PENDING while none runs, RUNNING once one does", () => {
    expect(run(context())).toEqual({ newPods: [], more: false });
    expect(run(context({ pods: [pod(0, "PENDING")] })).job).toMatchObject({
      state: "PENDING",
      revision: 2,
      updatedAt: NOW,
      completedAt: null,
    });
    expect(run(context({ pods: [pod(0, "PENDING"), pod(1, "RUNNING")] })).job?.state).toBe("RUNNING");
    expect(run(context({ job: { state: "RUNNING" }, pods: [pod(0, "RUNNING")] })).job).toBeUndefined();
  });

  it("creates no pod itself: its workflow does", () => {
    const step = run(context({ pods: [pod(0, "RUNNING")] }));
    expect(step.newPods).toEqual([]);
    expect(step.more).toBe(false);
  });

  it("is KILLED once every pod stopped on its own and the workflow has no instance left to bring up", () => {
    const stopped = [0, 1, 2].map((i) => pod(i, "KILLED", { goal: "KILLED" }));
    const done = workflow({ state: "SUCCEEDED", instancesDone: [[0, 3]] });
    expect(run(context({ job: { state: "RUNNING" }, pods: stopped, workflow: done })).job).toMatchObject({
      state: "KILLED",
      completedAt: NOW,
    });
    // With instances still to come, it is only PENDING.
    const some = stopped.slice(0, 2);
    expect(run(context({ job: { state: "RUNNING" }, pods: some })).job?.state).toBe("PENDING");
    // A pod that should run but ended keeps it PENDING too (it restarts).
    const failed = [...some, pod(2, "FAILED")];
    expect(run(context({ job: { state: "RUNNING" }, pods: failed, workflow: done })).job?.state).toBe(
      "PENDING",
    );
  });
});

describe("run, for a job stored before workflows existed", () => {
  it("creates every missing instance's first run, at most `room` of them", () => {
    const step = run(context({ workflow: undefined, pods: [undefined, pod(1, "RUNNING")], room: 1 }));
    expect(step.newPods.map((p) => [p.instance, p.state, p.runId])).toEqual([[0, "INITIALIZED", 1]]);
    expect(step.more).toBe(true);
    expect(step.job?.state).toBe("RUNNING");
    const rest = run(context({ workflow: undefined, pods: [pod(0, "PENDING"), pod(1, "RUNNING")] }));
    expect(rest.newPods.map((p) => p.instance)).toEqual([2]);
    expect(rest.more).toBe(false);
  });

  it("gives new runs the job's goal and configuration version", () => {
    const step = run(context({ workflow: undefined, job: { configVersion: 4 } }));
    expect(step.newPods).toHaveLength(3);
    for (const p of step.newPods)
      expect(p).toMatchObject({ goal: "RUNNING", configVersion: 4, desiredConfigVersion: 4, updatedAt: NOW });
    expect(step.job?.state).toBe("PENDING");
  });
});

describe("run in the engine", () => {
  it("creates a stored job's missing pods, bounded per tick over all jobs, and follows them to RUNNING", async () => {
    const store = new MemoryStore();
    const ids = ["0b5e0d4e-1c2a-4f00-9a5d-000000000001", "0b5e0d4e-1c2a-4f00-9a5d-000000000002"];
    for (const id of ids) await storeLegacyJob(store, jobRecord(id, { instanceCount: 5 }));
    const h = await engineHarness({ store, timings: { podsCreatedPerTick: 3 } });
    await h.engine.idle();
    const newPerCommit = h.store.commits.map(
      (c) => c.changes.podEvents.filter((e) => e.actualState === "INITIALIZED").length,
    );
    // Ten pods at three a tick: four ticks, the second job waiting for room in the first.
    expect(newPerCommit.filter((n) => n > 0)).toEqual([3, 3, 3, 1]);
    for (const id of ids) {
      expect(h.engine.pods(id)).toHaveLength(5);
      expect(h.store.jobs.get(id)?.state).toBe("PENDING");
    }
    await runLaunched(h);
    for (const id of ids) expect(h.store.jobs.get(id)?.state).toBe("RUNNING");
  });
});
