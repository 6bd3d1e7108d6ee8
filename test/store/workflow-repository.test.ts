import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflow, type WorkflowRecord } from "../../src/domain/workflow.js";
import { JobRepository } from "../../src/store/job-repository.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { PodRepository } from "../../src/store/pod-repository.js";
import { ResourcePoolRepository } from "../../src/store/resource-pool-repository.js";
import { RuntimeRepository } from "../../src/store/runtime-repository.js";
import { WorkflowRepository } from "../../src/store/workflow-repository.js";
import { backends } from "../support/backends.js";
import { poolConfig } from "../support/pools.js";
import { newJob as jobRecord, runtimeBatch } from "../support/records.js";

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
  let jobs: JobRepository;
  let workflows: WorkflowRepository;
  beforeAll(async () => {
    open = await backend.open();
    await migrateToLatest(open.db);
    await new ResourcePoolRepository(open.db).create({
      id: "leaf",
      parentId: "root",
      config: poolConfig("leaf", { cpu: [5, 10] }),
      now: 0,
    });
    jobs = new JobRepository(open.db);
    workflows = new WorkflowRepository(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  const newJob = (id: string, now: number) =>
    jobs.create(jobRecord(id, { respoolId: "leaf", instanceCount: 10, workflow: flow(id, now), now }));

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
    const runtime = new RuntimeRepository(open.db);
    await new PodRepository(open.db).commit(
      runtimeBatch({
        jobs: [
          {
            id: "a",
            state: "PENDING",
            goalState: "RUNNING",
            desiredStateVersion: 1,
            workflowVersion: 2,
            revision: 2,
            updatedAt: 2000,
            completedAt: null,
          },
        ],
        workflows: [moved],
        workflowEvents: [
          { workflowId: moved.id, jobId: "a", type: "UPDATE", state: "ROLLING_FORWARD", at: 2000 },
        ],
      }),
    );
    expect(await workflows.latest("a")).toEqual(moved);
    expect((await jobs.get("a"))?.workflowVersion).toBe(2);
    expect((await workflows.events(moved)).map((e) => [e.state, e.at])).toEqual([
      ["PAUSED", 1000],
      ["ROLLING_FORWARD", 2000],
    ]);
    const loaded = await runtime.loadJobs();
    expect(loaded.find((l) => l.job.id === "a")?.workflow).toEqual(moved);
  });

  it("reads the latest workflow of many jobs at once, and drops them with their job", async () => {
    await newJob("b", 3000);
    const latest = await workflows.latestByJob(["a", "b", "missing"]);
    expect([...latest.keys()].sort()).toEqual(["a", "b"]);
    expect(latest.get("b")?.createdAt).toBe(3000);
    await new PodRepository(open.db).commit(runtimeBatch({ deleteJobs: ["b"] }));
    expect(await workflows.latest("b")).toBeUndefined();
    expect(await workflows.events(flow("b", 3000))).toEqual([]);
  });
});
