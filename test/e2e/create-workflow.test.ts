import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateSpec } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import {
  JobState,
  WorkflowState,
  WorkflowType,
} from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { failure } from "../support/grpc-errors.js";
import { createPool } from "../support/jobs.js";
import { jobGone } from "../support/read-jobs.js";
import { podOf, podsOf } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

describe("the create workflow", () => {
  let s: TestServer;
  let pool: string;
  beforeAll(async () => {
    s = await startTestServer(
      { PELOTON_SIM_HOSTS: "4" },
      { timings: { restartBackoffMs: 1000, restartBackoffCapMs: 1000 } },
    );
    pool = await createPool(s, "wf", 32, 8192);
  });
  afterAll(async () => {
    await s?.stop();
  });

  const createJob = async (instances: number, createSpec: Partial<CreateSpec>, command = "sleep 100000") => {
    const { jobId } = await s.job.createJob({
      spec: {
        name: "wf",
        instanceCount: instances,
        respoolId: { value: pool },
        defaultSpec: {
          containers: [
            { name: "main", command: { value: command }, resource: { cpuLimit: 1, memLimitMb: 64 } },
          ],
        },
      },
      createSpec,
      opaqueData: { data: "deploy-42" },
    });
    return jobId!.value;
  };
  const getJob = (id: string) => s.job.getJob({ jobId: { value: id } });
  const flow = async (id: string) => (await getJob(id)).workflowInfo!;
  const pods = (id: string) => podsOf(s, id);
  const ref = (id: string, version?: string) => ({
    jobId: { value: id },
    ...(version ? { version: { value: version } } : {}),
  });

  it("adds every instance as an UPDATE workflow that succeeds once all pods run", async () => {
    const id = await createJob(3, {});
    const started = await flow(id);
    expect(started.status).toMatchObject({
      type: WorkflowType.WORKFLOW_TYPE_UPDATE,
      state: WorkflowState.WORKFLOW_STATE_ROLLING_FORWARD,
      prevState: WorkflowState.WORKFLOW_STATE_INITIALIZED,
      numInstancesRemaining: 3,
      version: { value: "1-1-1" },
    });
    expect(started.instancesAdded).toEqual([{ from: 0, to: 3 }]);
    expect(started.opaqueData).toEqual({ data: "deploy-42" });

    await settle(s, async () => (await flow(id)).status?.state === WorkflowState.WORKFLOW_STATE_SUCCEEDED);
    const done = await getJob(id);
    expect(done.workflowInfo?.status).toMatchObject({
      numInstancesCompleted: 3,
      numInstancesRemaining: 0,
      numInstancesFailed: 0,
      instancesCurrent: [],
    });
    expect(done.workflowInfo?.events.map((e) => e.state)).toEqual([
      WorkflowState.WORKFLOW_STATE_ROLLING_FORWARD,
      WorkflowState.WORKFLOW_STATE_SUCCEEDED,
    ]);
    expect(done.jobInfo?.status?.workflowStatus?.state).toBe(WorkflowState.WORKFLOW_STATE_SUCCEEDED);
    const { records } = await s.job.queryJobs({ spec: { keywords: [] } });
    expect(records.find((r) => r.jobId?.value === id)?.status?.workflowStatus?.numInstancesCompleted).toBe(3);
    const cache = await s.job.getJobCache({ jobId: { value: id } });
    expect(cache.status?.workflowStatus?.state).toBe(WorkflowState.WORKFLOW_STATE_SUCCEEDED);
  });

  it("start_paused creates nothing until ResumeJobWorkflow, which checks the version", async () => {
    const id = await createJob(2, { startPaused: true });
    await settle(s, () => true);
    s.clock.advance(5000);
    await s.app.engine.idle();
    expect(await pods(id)).toEqual([]);
    const paused = await getJob(id);
    expect(paused.jobInfo?.status?.state).toBe(JobState.JOB_STATE_INITIALIZED);
    expect(paused.workflowInfo?.status?.state).toBe(WorkflowState.WORKFLOW_STATE_PAUSED);
    expect(paused.workflowInfo?.updateSpec?.startPaused).toBe(true);

    // Pausing a paused workflow is a no-op: the version stays.
    expect((await s.job.pauseJobWorkflow(ref(id, "1-1-1"))).version?.value).toBe("1-1-1");
    expect(await failure(s.job.resumeJobWorkflow(ref(id, "1-1-7")))).toMatchObject({
      code: "ABORTED",
      details: expect.stringContaining("unexpected entity version"),
    });
    const resumed = await s.job.resumeJobWorkflow({ ...ref(id, "1-1-1"), opaqueData: { data: "go" } });
    expect(resumed.version?.value).toBe("1-1-2");
    await settle(s, async () => (await flow(id)).status?.state === WorkflowState.WORKFLOW_STATE_SUCCEEDED);
    expect((await pods(id)).map((p) => p.state)).toEqual(["RUNNING", "RUNNING"]);
    const info = await flow(id);
    expect(info.opaqueData).toEqual({ data: "go" });
    expect(info.events.map((e) => e.state)).toEqual([
      WorkflowState.WORKFLOW_STATE_PAUSED,
      WorkflowState.WORKFLOW_STATE_ROLLING_FORWARD,
      WorkflowState.WORKFLOW_STATE_SUCCEEDED,
    ]);
    // Nothing is under way any more: every command is a no-op.
    expect((await s.job.abortJobWorkflow(ref(id))).version?.value).toBe("1-1-2");
  });

  it("pausing in the middle of a batched creation holds the remaining instances back", async () => {
    const id = await createJob(4, { batchSize: 1 });
    await settle(s, async () => (await podOf(s, id, 0))?.state === "RUNNING");
    const paused = await s.job.pauseJobWorkflow(ref(id));
    expect(paused.version?.value).toBe("1-1-2");
    s.clock.advance(10_000);
    await s.app.engine.idle();
    const held = (await pods(id)).length;
    expect(held).toBeLessThanOrEqual(2);
    s.clock.advance(10_000);
    await s.app.engine.idle();
    expect(await pods(id)).toHaveLength(held);
    expect((await flow(id)).status?.state).toBe(WorkflowState.WORKFLOW_STATE_PAUSED);
    await s.job.resumeJobWorkflow(ref(id, "1-1-2"));
    await settle(s, async () => (await flow(id)).status?.state === WorkflowState.WORKFLOW_STATE_SUCCEEDED);
    expect(await pods(id)).toHaveLength(4);
  });

  it("AbortJobWorkflow ends the creation: instances not created yet never are", async () => {
    const id = await createJob(3, { startPaused: true });
    const aborted = await s.job.abortJobWorkflow(ref(id, "1-1-1"));
    expect(aborted.version?.value).toBe("1-1-2");
    s.clock.advance(10_000);
    await s.app.engine.idle();
    expect(await pods(id)).toEqual([]);
    expect((await flow(id)).status).toMatchObject({
      state: WorkflowState.WORKFLOW_STATE_ABORTED,
      prevState: WorkflowState.WORKFLOW_STATE_PAUSED,
      numInstancesRemaining: 3,
    });
    // The job can still be stopped and deleted.
    await s.job.stopJob(ref(id));
    await settle(s, async () => (await getJob(id)).jobInfo?.status?.state === JobState.JOB_STATE_KILLED);
    await s.job.deleteJob(ref(id));
    await settle(s, () => jobGone(s, id));
  });

  it("counts instances failed past max_instance_retries and fails past max_tolerable_instance_failures", async () => {
    const id = await createJob(
      4,
      { batchSize: 2, maxInstanceRetries: 1, maxTolerableInstanceFailures: 1 },
      "exit 3",
    );
    await settle(s, async () => (await flow(id)).status?.state === WorkflowState.WORKFLOW_STATE_FAILED);
    const info = await flow(id);
    expect(info.status).toMatchObject({
      numInstancesFailed: 2,
      numInstancesCompleted: 0,
      numInstancesRemaining: 2,
    });
    // A failed creation brings no further instance up.
    s.clock.advance(20_000);
    await s.app.engine.idle();
    const created = await pods(id);
    expect(created.map((p) => p.instance)).toEqual([0, 1]);
    // The instances it did create keep being restarted by their own policy.
    expect(created.every((p) => p.failureCount >= 2)).toBe(true);
  });

  it("without a failure limit, succeeds with every instance failed", async () => {
    const id = await createJob(2, { maxInstanceRetries: 1 }, "exit 3");
    await settle(s, async () => (await flow(id)).status?.state === WorkflowState.WORKFLOW_STATE_SUCCEEDED);
    expect((await flow(id)).status).toMatchObject({ numInstancesFailed: 2, numInstancesCompleted: 0 });
  });

  it("answers NOT_FOUND for an unknown job and INVALID_ARGUMENT without a job id", async () => {
    const unknown = "2b7c1d0e-0000-4000-8000-000000000000";
    expect(await failure(s.job.pauseJobWorkflow(ref(unknown)))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(s.job.resumeJobWorkflow({}))).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(await failure(s.job.abortJobWorkflow({ version: { value: "1-1-1" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});
