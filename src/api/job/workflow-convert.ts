import { countInstances, type InstanceRanges, instancesIn } from "../../domain/instance-ranges.js";
import {
  WORKFLOW_STATES,
  WORKFLOW_TYPES,
  type WorkflowEventRecord,
  type WorkflowRecord,
  type WorkflowState,
  type WorkflowType,
} from "../../domain/workflow.js";
import {
  WorkflowState as ProtoWorkflowState,
  WorkflowType as ProtoWorkflowType,
  type WorkflowEvent,
  type WorkflowInfo,
  type WorkflowStatus,
} from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { InstanceIDRange } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { rfc3339 } from "../fields.js";

const PROTO_STATE = Object.fromEntries(
  WORKFLOW_STATES.map((s) => [s, ProtoWorkflowState[`WORKFLOW_STATE_${s}`]]),
) as Record<WorkflowState, ProtoWorkflowState>;

const PROTO_TYPE = Object.fromEntries(
  WORKFLOW_TYPES.map((t) => [t, ProtoWorkflowType[`WORKFLOW_TYPE_${t}`]]),
) as Record<WorkflowType, ProtoWorkflowType>;

const idRanges = (r: InstanceRanges): InstanceIDRange[] => r.map(([from, to]) => ({ from, to }));

export function workflowStatus(w: WorkflowRecord): WorkflowStatus {
  const completed = countInstances(w.instancesDone);
  const failed = countInstances(w.instancesFailed);
  const total = countInstances(w.instancesAdded) + countInstances(w.instancesUpdated);
  return {
    type: PROTO_TYPE[w.type],
    state: PROTO_STATE[w.state],
    numInstancesCompleted: completed,
    numInstancesRemaining: Math.max(0, total - completed - failed),
    numInstancesFailed: failed,
    instancesCurrent: [...instancesIn(w.instancesCurrent)],
    version: w.version ? { value: w.version } : undefined,
    prevVersion: w.prevVersion ? { value: w.prevVersion } : undefined,
    creationTime: rfc3339(w.createdAt),
    updateTime: rfc3339(w.updatedAt),
    prevState: PROTO_STATE[w.prevState],
  };
}

export const workflowEventOf = (e: WorkflowEventRecord): WorkflowEvent => ({
  type: PROTO_TYPE[e.type],
  timestamp: rfc3339(e.at),
  state: PROTO_STATE[e.state],
});

/** A workflow as GetJob shows it; a create workflow's settings read as an UpdateSpec. */
export function workflowInfo(w: WorkflowRecord, events: readonly WorkflowEventRecord[]): WorkflowInfo {
  return {
    status: workflowStatus(w),
    updateSpec:
      w.type === "UPDATE"
        ? {
            batchSize: w.settings.batchSize,
            rollbackOnFailure: false,
            maxInstanceRetries: w.settings.maxInstanceRetries,
            maxTolerableInstanceFailures: w.settings.maxTolerableInstanceFailures,
            startPaused: w.settings.startPaused,
            inPlace: false,
          }
        : undefined,
    restartBatchSize: w.type === "RESTART" ? w.settings.batchSize : 0,
    restartRanges: w.type === "RESTART" ? idRanges(w.instancesUpdated) : [],
    opaqueData: w.opaqueData ? { data: w.opaqueData } : undefined,
    events: events.map(workflowEventOf),
    instancesAdded: idRanges(w.instancesAdded),
    instancesRemoved: idRanges(w.instancesRemoved),
    instancesUpdated: idRanges(w.instancesUpdated),
  };
}
