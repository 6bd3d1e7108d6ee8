import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflow, type WorkflowRecord, workflowEvent } from "../../../src/domain/workflow.js";
import { migrateToLatest } from "../../../src/store/migrate.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { JobReads } from "../../../src/store/read/job-reads.js";
import { WorkflowReads } from "../../../src/store/read/workflow-reads.js";
import { RuntimeStore } from "../../../src/store/runtime-store.js";
import { backends } from "../../support/backends.js";
import { commitNext, jobRecord, poolRecord, ROOT } from "../../support/commit.js";
import { poolConfig } from "../../support/pools.js";
import { newJob as newJobChange } from "../../support/records.js";

const flow = (jobId: string, now: number): WorkflowRecord =>
  createWorkflow({
    id: `wf-${jobId}`,
    jobId,
    instanceCount: 10,
    settings: { batchSize: 2, maxInstanceRetries: 3, maxTolerableInstanceFailures: 1, startPaused: true },
    opaqueData: "x",
    version: "1-1-1",
    now,
  });

describe.each(backends())("workflows on $name", (backend) => {
  let open: OpenDatabase;
  let jobs: JobReads;
  let workflows: WorkflowReads;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    await commitNext(open.db, { pools: [poolRecord("leaf", ROOT, poolConfig("leaf", { cpu: [5, 10] }))] });
    jobs = new JobReads(open.db);
    workflows = new WorkflowReads(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  const newJob = (id: string, now: number) =>
    commitNext(open.db, {
      newJobs: [newJobChange(id, { respoolId: "leaf", instanceCount: 10, createdAt: now, updatedAt: now })],
      workflows: [flow(id, now)],
      workflowEvents: [workflowEvent(flow(id, now), now)],
    });

  it("stores a job's create workflow with it, and moves it on in the engine's commits", async () => {
    await newJob("a", 1000);
    expect(await workflows.latest("a")).toEqual(flow("a", 1000));
    expect((await workflows.events(flow("a", 1000))).map((e) => e.state)).toEqual(["PAUSED"]);

    const moved: WorkflowRecord = {
      ...flow("a", 1000),
      state: "ROLLING_FORWARD",
      prevState: "PAUSED",
      opaqueData: "y",
      instancesDone: [
        [0, 3],
        [5, 6],
      ],
      instancesFailed: [[3, 4]],
      instancesCurrent: [[4, 5]],
      updatedAt: 2000,
    };
    await commitNext(open.db, {
      jobs: [
        jobRecord("a", {
          respoolId: "leaf",
          instanceCount: 10,
          state: "PENDING",
          workflowVersion: 2,
          revision: 2,
          createdAt: 1000,
          updatedAt: 2000,
        }),
      ],
      workflows: [moved],
      workflowEvents: [
        { workflowId: moved.id, jobId: "a", type: "UPDATE", state: "ROLLING_FORWARD", at: 2000 },
      ],
    });
    expect(await workflows.latest("a")).toEqual(moved);
    expect((await jobs.get("a"))?.workflowVersion).toBe(2);
    expect((await workflows.events(moved)).map((e) => [e.state, e.at])).toEqual([
      ["PAUSED", 1000],
      ["ROLLING_FORWARD", 2000],
    ]);
    const loaded = await new RuntimeStore(open.db).load();
    expect(loaded.jobs.find((l) => l.job.id === "a")?.workflow).toEqual(moved);
  });

  it("keeps the events of a workflow's instances apart from its own, with the instances they are about", async () => {
    const wf = flow("a", 1000);
    await commitNext(open.db, {
      workflowEvents: [
        {
          workflowId: wf.id,
          jobId: "a",
          type: "UPDATE",
          state: "ROLLING_FORWARD",
          instances: [[0, 2]],
          at: 2500,
        },
        { workflowId: wf.id, jobId: "a", type: "UPDATE", state: "SUCCEEDED", instances: [[0, 1]], at: 2600 },
      ],
    });
    expect((await workflows.events(wf)).map((e) => e.state)).toEqual(["PAUSED", "ROLLING_FORWARD"]);
    expect((await workflows.instanceEvents(wf)).map((e) => [e.state, e.instances, e.at])).toEqual([
      ["ROLLING_FORWARD", [[0, 2]], 2500],
      ["SUCCEEDED", [[0, 1]], 2600],
    ]);
  });

  it("reads the latest workflow of many jobs at once, and drops them with their job", async () => {
    await newJob("b", 3000);
    const latest = await workflows.latestByJob(["a", "b", "missing"]);
    expect([...latest.keys()].sort()).toEqual(["a", "b"]);
    expect(latest.get("b")?.createdAt).toBe(3000);
    await commitNext(open.db, { deleteJobs: ["b"] });
    expect(await workflows.latest("b")).toBeUndefined();
    expect(await workflows.events(flow("b", 3000))).toEqual([]);
  });
});
