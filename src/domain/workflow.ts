import { firstInstances, type InstanceRanges, NO_INSTANCES } from "./instance-ranges.js";

/** Workflow types as the v1alpha WorkflowType enum names them. */
export const WORKFLOW_TYPES = ["UPDATE", "RESTART"] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/** Workflow states as the v1alpha WorkflowState enum names them. */
export const WORKFLOW_STATES = [
  "INITIALIZED",
  "ROLLING_FORWARD",
  "PAUSED",
  "SUCCEEDED",
  "ABORTED",
  "FAILED",
  "ROLLING_BACKWARD",
  "ROLLED_BACK",
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** States a workflow never leaves. */
export const TERMINAL_WORKFLOW_STATES: readonly WorkflowState[] = [
  "SUCCEEDED",
  "ABORTED",
  "FAILED",
  "ROLLED_BACK",
];

export const isActiveWorkflow = (state: WorkflowState): boolean => !TERMINAL_WORKFLOW_STATES.includes(state);

/** How a workflow rolls: CreateSpec / UpdateSpec settings (0 means "no limit" for each). */
export interface WorkflowSettings {
  /** Instances being brought up at the same time; 0: all at once. */
  readonly batchSize: number;
  /** Failures an instance may have before the workflow counts it failed; 0: no limit. */
  readonly maxInstanceRetries: number;
  /** Failed instances the workflow tolerates before it fails; 0: no limit. */
  readonly maxTolerableInstanceFailures: number;
  /** The workflow began PAUSED, waiting for ResumeJobWorkflow. */
  readonly startPaused: boolean;
}

/**
 * A job workflow and its progress. CreateJob starts one that adds every instance of the job
 * (Peloton models the creation as an update from nothing, so its type is UPDATE); the
 * update and restart workflows extend the same record.
 */
export interface WorkflowRecord {
  readonly id: string;
  readonly jobId: string;
  readonly type: WorkflowType;
  readonly state: WorkflowState;
  readonly prevState: WorkflowState;
  readonly settings: WorkflowSettings;
  readonly opaqueData: string;
  /** The job's entity version the workflow moves it to, and the one it started from ("" if none). */
  readonly version: string;
  readonly prevVersion: string;
  readonly instancesAdded: InstanceRanges;
  readonly instancesRemoved: InstanceRanges;
  readonly instancesUpdated: InstanceRanges;
  /** Instances that came up (or need no more work). */
  readonly instancesDone: InstanceRanges;
  /** Instances the workflow gave up on (over max_instance_retries, or never to run again). */
  readonly instancesFailed: InstanceRanges;
  /** Instances being worked on now. */
  readonly instancesCurrent: InstanceRanges;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A change of a workflow's state, as WorkflowEvent shows it. */
export interface WorkflowEventRecord {
  readonly workflowId: string;
  readonly jobId: string;
  readonly type: WorkflowType;
  readonly state: WorkflowState;
  /** The instances the event is about; absent for an event of the workflow as a whole. */
  readonly instances?: InstanceRanges;
  readonly at: number;
}

/**
 * The workflow CreateJob starts: it adds instances [0, instanceCount) to the job, rolling
 * forward at once or, with `start_paused`, waiting for ResumeJobWorkflow.
 */
export function createWorkflow(o: {
  readonly id: string;
  readonly jobId: string;
  readonly instanceCount: number;
  readonly settings: WorkflowSettings;
  readonly opaqueData: string;
  readonly version: string;
  readonly now: number;
}): WorkflowRecord {
  return {
    id: o.id,
    jobId: o.jobId,
    type: "UPDATE",
    state: o.settings.startPaused ? "PAUSED" : "ROLLING_FORWARD",
    prevState: "INITIALIZED",
    settings: o.settings,
    opaqueData: o.opaqueData,
    version: o.version,
    prevVersion: "",
    instancesAdded: firstInstances(o.instanceCount),
    instancesRemoved: NO_INSTANCES,
    instancesUpdated: NO_INSTANCES,
    instancesDone: NO_INSTANCES,
    instancesFailed: NO_INSTANCES,
    instancesCurrent: NO_INSTANCES,
    createdAt: o.now,
    updatedAt: o.now,
  };
}

export const workflowEvent = (wf: WorkflowRecord, at: number): WorkflowEventRecord => ({
  workflowId: wf.id,
  jobId: wf.jobId,
  type: wf.type,
  state: wf.state,
  at,
});
