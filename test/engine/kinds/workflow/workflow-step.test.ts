import { describe, expect, it } from "vitest";
import type { JobRecord } from "../../../../src/domain/job.js";
import type { JobTemplates, PodRuntime, PodTemplate } from "../../../../src/domain/pod.js";
import {
  createWorkflow,
  type WorkflowRecord,
  type WorkflowSettings,
} from "../../../../src/domain/workflow.js";
import { firstRun } from "../../../../src/engine/kinds/job/first-run.js";
import { applyWorkflowCommand } from "../../../../src/engine/kinds/workflow/workflow-command.js";
import { workflowStep } from "../../../../src/engine/kinds/workflow/workflow-step.js";

const template = { maxFailures: 0, containers: [] } as unknown as PodTemplate;
const templates: JobTemplates = { default: template, instances: {} };

const job = (over: Partial<JobRecord> = {}): JobRecord =>
  ({ id: "j", instanceCount: 4, goalState: "RUNNING", configVersion: 1, ...over }) as JobRecord;

const settings = (over: Partial<WorkflowSettings> = {}): WorkflowSettings => ({
  batchSize: 0,
  maxInstanceRetries: 0,
  maxTolerableInstanceFailures: 0,
  startPaused: false,
  ...over,
});

const workflow = (over: Partial<WorkflowSettings> = {}, count = 4): WorkflowRecord =>
  createWorkflow({
    id: "w",
    jobId: "j",
    instanceCount: count,
    settings: settings(over),
    opaqueData: "",
    version: "1-1-1",
    now: 0,
  });

const pod = (instance: number, over: Partial<PodRuntime> = {}): PodRuntime => ({
  ...firstRun(job(), templates, instance, 0),
  ...over,
});
const running = (i: number) => pod(i, { state: "RUNNING", startedAt: 5 });
const pending = (i: number) => pod(i, { state: "PENDING" });

describe("the create workflow's step", () => {
  it("creates every instance at once without a batch size, then succeeds once all came up", () => {
    const first = workflowStep(workflow(), job(), templates, [], 1, 100);
    expect(first.create).toEqual([0, 1, 2, 3]);
    expect(first.more).toBe(false);
    expect(first.workflow?.instancesCurrent).toEqual([[0, 4]]);
    const wf = first.workflow!;
    const half = workflowStep(wf, job(), templates, [running(0), running(1), pending(2), pending(3)], 2, 100);
    expect(half.workflow).toMatchObject({ state: "ROLLING_FORWARD", instancesDone: [[0, 2]] });
    expect(half.workflow?.instancesCurrent).toEqual([[2, 4]]);
    const all = workflowStep(half.workflow!, job(), templates, [0, 1, 2, 3].map(running), 3, 100);
    expect(all.workflow).toMatchObject({
      state: "SUCCEEDED",
      prevState: "ROLLING_FORWARD",
      instancesCurrent: [],
    });
    expect(all.event).toMatchObject({ state: "SUCCEEDED", type: "UPDATE" });
    expect(workflowStep(all.workflow!, job(), templates, [], 4, 100)).toEqual({ create: [], more: false });
  });

  it("keeps at most batch_size instances coming up, and never more than it may create this tick", () => {
    const wf = workflow({ batchSize: 2 });
    expect(workflowStep(wf, job(), templates, [], 1, 100).create).toEqual([0, 1]);
    expect(workflowStep(wf, job(), templates, [], 1, 1)).toMatchObject({ create: [0], more: true });
    expect(workflowStep(wf, job(), templates, [pending(0), pending(1)], 1, 100)).toMatchObject({
      create: [],
      more: true,
    });
    expect(workflowStep(wf, job(), templates, [running(0), pending(1)], 1, 100).create).toEqual([2]);
  });

  it("creates nothing while paused or while the job is not meant to run", () => {
    const paused = workflow({ startPaused: true });
    expect(paused.state).toBe("PAUSED");
    expect(workflowStep(paused, job(), templates, [], 1, 100)).toMatchObject({ create: [], more: true });
    expect(workflowStep(workflow(), job({ goalState: "KILLED" }), templates, [], 1, 100).create).toEqual([]);
  });

  it("counts an instance failed past max_instance_retries, and fails past max_tolerable_instance_failures", () => {
    const wf = workflow({ maxInstanceRetries: 2, maxTolerableInstanceFailures: 1 });
    const retried = workflowStep(
      wf,
      job(),
      templates,
      [pod(0, { failureCount: 2 }), ...[1, 2, 3].map(pending)],
      1,
      9,
    );
    expect(retried.workflow?.instancesFailed ?? []).toEqual([]);
    const one = workflowStep(
      wf,
      job(),
      templates,
      [pod(0, { failureCount: 3 }), ...[1, 2, 3].map(pending)],
      1,
      9,
    );
    expect(one.workflow).toMatchObject({ state: "ROLLING_FORWARD", instancesFailed: [[0, 1]] });
    const two = workflowStep(
      one.workflow!,
      job(),
      templates,
      [pod(0, { failureCount: 3 }), pod(1, { failureCount: 3 }), pending(2), pending(3)],
      2,
      9,
    );
    expect(two.workflow).toMatchObject({ state: "FAILED", instancesFailed: [[0, 2]] });
    expect(two.event?.state).toBe("FAILED");
  });

  it("without a failure limit succeeds even when every instance failed", () => {
    const wf = workflow({ maxInstanceRetries: 1 }, 2);
    const step = workflowStep(
      wf,
      job({ instanceCount: 2 }),
      templates,
      [0, 1].map((i) => pod(i, { failureCount: 2 })),
      1,
      9,
    );
    expect(step.workflow).toMatchObject({ state: "SUCCEEDED", instancesFailed: [[0, 2]] });
  });

  it("counts an instance its restart policy gave up on as failed", () => {
    const strict: JobTemplates = { default: { ...template, maxFailures: 1 }, instances: {} };
    const gaveUp = pod(0, { state: "FAILED", failureCount: 1, terminationReason: "FAILED" });
    const step = workflowStep(workflow({}, 1), job({ instanceCount: 1 }), strict, [gaveUp], 1, 9);
    expect(step.workflow).toMatchObject({ state: "SUCCEEDED", instancesFailed: [[0, 1]] });
  });
});

describe("workflow commands", () => {
  it("pause a rolling workflow, resume a paused one, abort an active one; otherwise do nothing", () => {
    const wf = workflow();
    const paused = applyWorkflowCommand(wf, "pause", 1)!;
    expect(paused).toMatchObject({ state: "PAUSED", prevState: "ROLLING_FORWARD" });
    expect(applyWorkflowCommand(paused, "pause", 2)).toBeUndefined();
    expect(applyWorkflowCommand(wf, "resume", 2)).toBeUndefined();
    expect(applyWorkflowCommand(paused, "resume", 2)).toMatchObject({
      state: "ROLLING_FORWARD",
      prevState: "PAUSED",
    });
    expect(applyWorkflowCommand(workflow({ startPaused: true }), "resume", 2)?.state).toBe("ROLLING_FORWARD");
    const aborted = applyWorkflowCommand(paused, "abort", 3)!;
    expect(aborted).toMatchObject({ state: "ABORTED", instancesCurrent: [] });
    for (const c of ["pause", "resume", "abort"] as const)
      expect(applyWorkflowCommand(aborted, c, 4)).toBeUndefined();
  });
});
