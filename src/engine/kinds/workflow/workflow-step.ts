import {
  countInstances,
  type InstanceRanges,
  instancesIn,
  rangesOf,
  subtractRanges,
  unionRanges,
} from "../../../domain/instance-ranges.js";
import type { JobRecord } from "../../../domain/job.js";
import { type JobTemplates, type PodRuntime, templateOf } from "../../../domain/pod.js";
import {
  isActiveWorkflow,
  type WorkflowEventRecord,
  type WorkflowRecord,
  type WorkflowState,
  workflowEvent,
} from "../../../domain/workflow.js";
import { instanceProgress } from "./instance-progress.js";

export interface WorkflowStep {
  /** The workflow's new record, when anything about it changed. */
  readonly workflow?: WorkflowRecord;
  /** The workflow's own event, when its state changed. */
  readonly event?: WorkflowEventRecord;
  /** Events of its instances (those it started on, those done, those failed), when there are any. */
  readonly instanceEvents?: readonly WorkflowEventRecord[];
  /** Instances to create now (ascending). */
  readonly create: readonly number[];
  /** Whether missing instances remain to be created later (the workflow is still active). */
  readonly more: boolean;
}

const NOTHING: WorkflowStep = { create: [], more: false };

/**
 * One step of a job's workflow (pure): records which instances came up or failed, moves the
 * workflow to SUCCEEDED once every instance is accounted for or to FAILED once more instances
 * failed than `max_tolerable_instance_failures` allows, and — while it rolls forward, the job is
 * meant to run and `mayCreate` — says which missing instances to create now, at most
 * `batch_size` being brought up at a time and at most `maxNew` in all.
 */
export function workflowStep(
  wf: WorkflowRecord,
  job: JobRecord,
  templates: JobTemplates,
  pods: readonly (PodRuntime | undefined)[],
  now: number,
  maxNew: number,
  mayCreate = true,
): WorkflowStep {
  if (!isActiveWorkflow(wf.state)) return NOTHING;
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
  if (state === "ROLLING_FORWARD" && job.goalState === "RUNNING" && mayCreate) {
    const room = settings.batchSize > 0 ? Math.max(0, settings.batchSize - current.length) : missing.length;
    create = missing.slice(0, Math.min(room, maxNew));
  }
  const instancesCurrent: InstanceRanges = isActiveWorkflow(state)
    ? unionRanges(rangesOf(current), rangesOf(create))
    : [];

  const event = (state: WorkflowState, ids: readonly number[]): WorkflowEventRecord[] =>
    ids.length > 0
      ? [{ workflowId: wf.id, jobId: wf.jobId, type: wf.type, state, instances: rangesOf(ids), at: now }]
      : [];
  const events = [...event(wf.state, create), ...event("SUCCEEDED", done), ...event("FAILED", failed)];
  const instanceEvents = events.length > 0 ? { instanceEvents: events } : {};

  const more = isActiveWorkflow(state) && missing.length > create.length;
  const changed =
    state !== wf.state ||
    instancesDone !== wf.instancesDone ||
    instancesFailed !== wf.instancesFailed ||
    !sameRanges(instancesCurrent, wf.instancesCurrent);
  if (!changed) return { ...instanceEvents, create, more };
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
    ...instanceEvents,
    create,
    more,
    ...(state !== wf.state ? { event: workflowEvent(workflow, now) } : {}),
  };
}

const sameRanges = (a: InstanceRanges, b: InstanceRanges): boolean =>
  a.length === b.length && a.every(([from, to], i) => b[i]![0] === from && b[i]![1] === to);
