import {
  countInstances,
  type InstanceRanges,
  instancesIn,
  rangesOf,
  subtractRanges,
  unionRanges,
} from "../../domain/instance-ranges.js";
import type { JobRecord } from "../../domain/job.js";
import { hasGivenUp, type JobTemplates, type PodRuntime, templateOf } from "../../domain/pod.js";
import {
  isActiveWorkflow,
  type WorkflowEventRecord,
  type WorkflowRecord,
  type WorkflowSettings,
  type WorkflowState,
  workflowEvent,
} from "../../domain/workflow.js";

export interface WorkflowStep {
  /** The workflow's new record, when anything about it changed. */
  readonly workflow?: WorkflowRecord;
  readonly event?: WorkflowEventRecord;
  /** Instances to create now (ascending). */
  readonly create: readonly number[];
  /** Whether missing instances remain to be created later (the workflow is still active). */
  readonly more: boolean;
}

/**
 * Whether an instance the workflow brings up is done, failed, or still in the works. It is done
 * once it runs — and passes its liveness check, when it has one — or once nobody wants it
 * running any more; it failed once it failed more than `max_instance_retries` times, or its
 * restart policy gave up on it. A pod that starts and crashes again and again is not done.
 */
export function instanceProgress(
  pod: PodRuntime,
  settings: WorkflowSettings,
  maxFailures: number,
): "done" | "failed" | "current" {
  if (pod.goal !== "RUNNING") return "done";
  if (pod.state === "RUNNING" && (pod.healthy === "DISABLED" || pod.healthy === "HEALTHY")) return "done";
  if (settings.maxInstanceRetries > 0 && pod.failureCount > settings.maxInstanceRetries) return "failed";
  if (hasGivenUp(pod, maxFailures)) return "failed";
  return "current";
}

/**
 * One step of a job's workflow (pure): records which instances came up or failed, moves the
 * workflow to SUCCEEDED once every instance is accounted for or to FAILED once more instances
 * failed than `max_tolerable_instance_failures` allows, and — while it rolls forward and the
 * job is meant to run — says which missing instances to create now, at most `batch_size` being
 * brought up at a time and at most `maxNew` in all.
 */
export function workflowStep(
  wf: WorkflowRecord,
  job: JobRecord,
  templates: JobTemplates,
  pods: readonly (PodRuntime | undefined)[],
  now: number,
  maxNew: number,
): WorkflowStep {
  if (!isActiveWorkflow(wf.state)) return { create: [], more: false };
  const { settings } = wf;
  const done: number[] = [];
  const failed: number[] = [];
  const current: number[] = [];
  const missing: number[] = [];
  // Instances already done or failed stay so: only the others need a look.
  const open = subtractRanges(subtractRanges(wf.instancesAdded, wf.instancesDone), wf.instancesFailed);
  for (const id of instancesIn(open)) {
    const pod = pods[id];
    if (!pod) {
      missing.push(id);
      continue;
    }
    const progress = instanceProgress(pod, settings, templateOf(templates, id).maxFailures);
    if (progress === "done") done.push(id);
    else if (progress === "failed") failed.push(id);
    else current.push(id);
  }
  const instancesDone = done.length > 0 ? unionRanges(wf.instancesDone, rangesOf(done)) : wf.instancesDone;
  const instancesFailed =
    failed.length > 0 ? unionRanges(wf.instancesFailed, rangesOf(failed)) : wf.instancesFailed;

  let state: WorkflowState = wf.state;
  const failures = countInstances(instancesFailed);
  if (state === "ROLLING_FORWARD") {
    if (settings.maxTolerableInstanceFailures > 0 && failures > settings.maxTolerableInstanceFailures)
      state = "FAILED";
    else if (countInstances(instancesDone) + failures === countInstances(wf.instancesAdded))
      state = "SUCCEEDED";
  }

  let create: number[] = [];
  if (state === "ROLLING_FORWARD" && job.goalState === "RUNNING") {
    const room = settings.batchSize > 0 ? Math.max(0, settings.batchSize - current.length) : missing.length;
    create = missing.slice(0, Math.min(room, maxNew));
  }
  const instancesCurrent: InstanceRanges = isActiveWorkflow(state)
    ? unionRanges(rangesOf(current), rangesOf(create))
    : [];

  const more = isActiveWorkflow(state) && missing.length > create.length;
  const changed =
    state !== wf.state ||
    instancesDone !== wf.instancesDone ||
    instancesFailed !== wf.instancesFailed ||
    !sameRanges(instancesCurrent, wf.instancesCurrent);
  if (!changed) return { create, more };
  const workflow: WorkflowRecord = {
    ...wf,
    state,
    prevState: state !== wf.state ? wf.state : wf.prevState,
    instancesDone,
    instancesFailed,
    instancesCurrent,
    updatedAt: now,
  };
  return {
    workflow,
    create,
    more,
    ...(state !== wf.state ? { event: workflowEvent(workflow, now) } : {}),
  };
}

const sameRanges = (a: InstanceRanges, b: InstanceRanges): boolean =>
  a.length === b.length && a.every(([from, to], i) => b[i]![0] === from && b[i]![1] === to);

/** What PauseJobWorkflow, ResumeJobWorkflow and AbortJobWorkflow do to a workflow. */
export type WorkflowCommand = "pause" | "resume" | "abort";

/**
 * A workflow after a command, or undefined when the command is a no-op: pausing a workflow
 * that is not rolling, resuming one that is not paused, aborting one that has ended.
 */
export function applyWorkflowCommand(
  wf: WorkflowRecord,
  command: WorkflowCommand,
  now: number,
): WorkflowRecord | undefined {
  let state: WorkflowState | undefined;
  if (command === "pause" && (wf.state === "ROLLING_FORWARD" || wf.state === "ROLLING_BACKWARD"))
    state = "PAUSED";
  if (command === "resume" && wf.state === "PAUSED")
    state = wf.prevState === "ROLLING_BACKWARD" ? "ROLLING_BACKWARD" : "ROLLING_FORWARD";
  if (command === "abort" && isActiveWorkflow(wf.state)) state = "ABORTED";
  if (!state) return undefined;
  return {
    ...wf,
    state,
    prevState: wf.state,
    instancesCurrent: state === "ABORTED" ? [] : wf.instancesCurrent,
    updatedAt: now,
  };
}
