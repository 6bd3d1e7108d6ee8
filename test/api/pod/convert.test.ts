import { describe, expect, it } from "vitest";
import {
  CONTAINER_STATE,
  desiredRunId,
  POD_STATE_OF,
  pastRunStatus,
  podEvent,
  podStatus,
} from "../../../src/api/pod/convert.js";
import { podRefOf, runIdOf } from "../../../src/api/pod/pod-service.js";
import type { StoredPodEvent } from "../../../src/domain/change-set.js";
import type { JobRecord } from "../../../src/domain/job.js";
import { POD_STATES, type PodRuntime, type PodTemplate } from "../../../src/domain/pod.js";
import { resources } from "../../../src/domain/resources.js";
import {
  ContainerState,
  HealthState,
  PodState,
  TerminationStatus_Reason,
} from "../../../src/gen/peloton/api/v1alpha/pod/pod.js";

const JOB_ID = "6f0c1f3e-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
const T0 = Date.UTC(2026, 10, 22, 12);

const job: JobRecord = {
  id: JOB_ID,
  name: "svc",
  owner: "",
  owningTeam: "",
  description: "",
  labels: [],
  respoolId: "pool",
  instanceCount: 3,
  priority: 0,
  maxUnavailable: 0,
  state: "RUNNING",
  goalState: "RUNNING",
  configVersion: 2,
  desiredStateVersion: 3,
  workflowVersion: 4,
  revision: 9,
  createdAt: T0 - 60_000,
  updatedAt: T0,
  completedAt: null,
};

const template: PodTemplate = {
  resources: resources({ cpu: 1.5, memory: 256 }),
  ports: [{ name: "http", value: 0 }],
  labels: [],
  containers: [
    { name: "main", command: "sleep 100000" },
    { name: "side", command: "sleep 100000" },
  ],
  maxFailures: 0,
  killGracePeriodMs: 30_000,
  controller: false,
  revocable: false,
  preemptible: false,
  killOnPreempt: false,
};

const running: PodRuntime = {
  jobId: JOB_ID,
  instance: 1,
  runId: 3,
  state: "RUNNING",
  goal: "RUNNING",
  configVersion: 1,
  desiredConfigVersion: 2,
  host: "host-0001",
  agentId: "agent-1",
  ports: { http: 31002 },
  message: "running",
  reason: "REASON_COMMAND_EXECUTOR_STARTED",
  failureCount: 1,
  healthy: "DISABLED",
  prevRunId: 2,
  exitCode: null,
  terminationReason: null,
  volumeId: null,
  startedAt: T0 + 1000,
  completedAt: null,
  updatedAt: T0 + 1000,
  revision: 7,
};

describe("podStatus", () => {
  it("converts a running pod", () => {
    const s = podStatus(running, template, job);
    expect(s).toMatchObject({
      state: PodState.POD_STATE_RUNNING,
      podId: { value: `${JOB_ID}-1-3` },
      startTime: "2026-11-22T12:00:01.000Z",
      completionTime: "",
      host: "host-0001",
      desiredState: PodState.POD_STATE_RUNNING,
      message: "running",
      reason: "REASON_COMMAND_EXECUTOR_STARTED",
      failureCount: 1,
      version: { value: "1-3-4" },
      desiredVersion: { value: "2-3-4" },
      agentId: { value: "agent-1" },
      revision: { version: "7", createdAt: String(T0 - 60_000), updatedAt: String(T0 + 1000) },
      prevPodId: { value: `${JOB_ID}-1-2` },
      resourceUsage: { cpu: 1.5, memory: 256, disk: 0, gpu: 0 },
      desiredPodId: { value: `${JOB_ID}-1-3` },
      desiredHost: "",
    });
    expect(s.containersStatus.map((c) => c.name)).toEqual(["main", "side"]);
    expect(s.containersStatus[0]).toMatchObject({
      state: ContainerState.CONTAINER_STATE_RUNNING,
      ports: { http: 31002 },
      message: "running",
      failureCount: 1,
      healthy: { state: HealthState.HEALTH_STATE_DISABLED },
      startTime: "2026-11-22T12:00:01.000Z",
    });
    expect(s.containersStatus[0]?.terminationStatus).toBeUndefined();
  });

  it("leaves out what a pod that never ran does not have", () => {
    const pending: PodRuntime = {
      ...running,
      runId: 1,
      state: "PENDING",
      host: null,
      agentId: null,
      ports: {},
      prevRunId: null,
      startedAt: null,
      healthy: "UNKNOWN",
    };
    const s = podStatus(pending, template, job);
    expect(s.host).toBe("");
    expect(s.agentId).toBeUndefined();
    expect(s.prevPodId).toBeUndefined();
    expect(s.startTime).toBe("");
    expect(s.resourceUsage).toEqual({});
    expect(s.desiredPodId).toEqual({ value: `${JOB_ID}-1-1` });
    expect(s.containersStatus[0]).toMatchObject({
      state: ContainerState.CONTAINER_STATE_PENDING,
      healthy: { state: HealthState.HEALTH_STATE_UNKNOWN },
    });
  });

  it("reports a run stopped on request as KILLED_ON_REQUEST, with no desired run", () => {
    const killed: PodRuntime = {
      ...running,
      state: "KILLED",
      goal: "KILLED",
      terminationReason: "KILLED_ON_REQUEST",
      exitCode: null,
      completedAt: T0 + 5000,
    };
    const s = podStatus(killed, template, job);
    expect(s.state).toBe(PodState.POD_STATE_KILLED);
    expect(s.desiredState).toBe(PodState.POD_STATE_KILLED);
    expect(s.completionTime).toBe("2026-11-22T12:00:05.000Z");
    expect(s.resourceUsage).toEqual({});
    expect(s.desiredPodId).toBeUndefined();
    expect(s.containersStatus[0]).toMatchObject({
      state: ContainerState.CONTAINER_STATE_KILLED,
      terminationStatus: {
        reason: TerminationStatus_Reason.TERMINATION_STATUS_REASON_KILLED_ON_REQUEST,
        exitCode: 0,
        signal: "",
      },
    });
  });

  it("reports a failed run that should run as FAILED with its exit code, the next run desired", () => {
    const failed: PodRuntime = { ...running, state: "FAILED", terminationReason: "FAILED", exitCode: 3 };
    const s = podStatus(failed, template, job);
    expect(s.desiredPodId).toEqual({ value: `${JOB_ID}-1-4` });
    expect(s.containersStatus[1]?.terminationStatus).toEqual({
      reason: TerminationStatus_Reason.TERMINATION_STATUS_REASON_FAILED,
      exitCode: 3,
      signal: "",
    });
    const succeeded = podStatus({ ...failed, state: "SUCCEEDED", exitCode: 0 }, template, job);
    expect(succeeded.containersStatus[0]?.state).toBe(ContainerState.CONTAINER_STATE_SUCCEEDED);
    expect(succeeded.containersStatus[0]?.terminationStatus).toBeUndefined();
  });

  it("has no containers and no usage without a template", () => {
    const s = podStatus(running, undefined, job);
    expect(s.containersStatus).toEqual([]);
    expect(s.resourceUsage).toEqual({});
  });

  it("maps every pod state to a container state and back from the proto enum", () => {
    for (const state of POD_STATES) {
      expect(CONTAINER_STATE[state]).toBeGreaterThan(0);
      expect(POD_STATE_OF.get(PodState[`POD_STATE_${state}`])).toBe(state);
    }
    expect(POD_STATE_OF.has(PodState.POD_STATE_INVALID)).toBe(false);
  });

  it("desires the next run of a run being killed while the pod should run", () => {
    expect(desiredRunId("RUNNING", "KILLING", 2)).toBe(3);
    expect(desiredRunId("RUNNING", "STARTING", 2)).toBe(2);
    expect(desiredRunId("KILLED", "KILLING", 2)).toBeUndefined();
    expect(desiredRunId("DELETED", "RUNNING", 2)).toBeUndefined();
  });
});

const event = (over: Partial<StoredPodEvent>): StoredPodEvent => ({
  id: 1,
  jobId: JOB_ID,
  instance: 0,
  runId: 2,
  actualState: "PENDING",
  desiredState: "RUNNING",
  configVersion: 1,
  desiredConfigVersion: 2,
  agentId: "",
  hostname: "",
  message: "waiting for admission and placement",
  reason: "",
  prevRunId: 1,
  healthy: "DISABLED",
  at: T0,
  ...over,
});

describe("podEvent", () => {
  it("converts a stored event", () => {
    expect(
      podEvent(
        event({
          actualState: "RUNNING",
          agentId: "agent-7",
          hostname: "host-0007",
          message: "started",
          reason: "REASON_X",
          healthy: "HEALTHY",
          at: T0 + 2500,
        }),
        job,
      ),
    ).toEqual({
      podId: { value: `${JOB_ID}-0-2` },
      actualState: "POD_STATE_RUNNING",
      desiredState: "POD_STATE_RUNNING",
      timestamp: "2026-11-22T12:00:02.500Z",
      version: { value: "1-3-4" },
      desiredVersion: { value: "2-3-4" },
      agentId: "agent-7",
      hostname: "host-0007",
      message: "started",
      reason: "REASON_X",
      prevPodId: { value: `${JOB_ID}-0-1` },
      healthy: "HEALTH_STATE_HEALTHY",
      desiredPodId: { value: `${JOB_ID}-0-2` },
    });
  });

  it("has no previous run for a first run and no desired run when stopping", () => {
    const e = podEvent(
      event({ runId: 1, prevRunId: null, actualState: "KILLED", desiredState: "KILLED" }),
      job,
    );
    expect(e.prevPodId).toBeUndefined();
    expect(e.desiredPodId).toBeUndefined();
    expect(e.actualState).toBe("POD_STATE_KILLED");
  });
});

describe("pastRunStatus", () => {
  it("is undefined for a run without events", () => {
    expect(pastRunStatus([], job)).toBeUndefined();
  });

  it("rebuilds a finished run from its events", () => {
    const s = pastRunStatus(
      [
        event({ id: 1, at: T0 }),
        event({ id: 2, actualState: "PLACED", hostname: "host-0002", at: T0 + 100 }),
        event({ id: 3, actualState: "RUNNING", hostname: "host-0002", agentId: "a-2", at: T0 + 900 }),
        event({
          id: 4,
          actualState: "KILLED",
          desiredState: "KILLED",
          hostname: "host-0002",
          agentId: "a-2",
          message: "killed",
          reason: "REASON_TASK_KILLED",
          at: T0 + 4000,
        }),
      ],
      job,
    );
    expect(s).toMatchObject({
      state: PodState.POD_STATE_KILLED,
      podId: { value: `${JOB_ID}-0-2` },
      host: "host-0002",
      agentId: { value: "a-2" },
      message: "killed",
      reason: "REASON_TASK_KILLED",
      startTime: "2026-11-22T12:00:00.900Z",
      completionTime: "2026-11-22T12:00:04.000Z",
      desiredState: PodState.POD_STATE_KILLED,
      prevPodId: { value: `${JOB_ID}-0-1` },
      version: { value: "1-3-4" },
    });
  });
});

describe("pod references", () => {
  it("parses pod names and refuses others", () => {
    expect(podRefOf({ podName: { value: `${JOB_ID}-12` } })).toEqual({ jobId: JOB_ID, instance: 12 });
    expect(() => podRefOf({})).toThrow("pod_name.value: is required");
    expect(() => podRefOf({ podName: { value: "nope-1" } })).toThrow(/^pod_name\.value: /);
    expect(() => podRefOf({ podName: { value: `${JOB_ID}-1-2` } })).toThrow(/^pod_name\.value: /);
  });

  it("accepts a pod id only for a run of the named pod", () => {
    const ref = { jobId: JOB_ID, instance: 1 };
    expect(runIdOf({}, ref)).toBeUndefined();
    expect(runIdOf({ podId: { value: "" } }, ref)).toBeUndefined();
    expect(runIdOf({ podId: { value: `${JOB_ID}-1-4` } }, ref)).toBe(4);
    expect(() => runIdOf({ podId: { value: `${JOB_ID}-2-4` } }, ref)).toThrow(
      /^pod_id\.value: .* not a run of/,
    );
    expect(() => runIdOf({ podId: { value: `${JOB_ID}-1` } }, ref)).toThrow(/^pod_id\.value: /);
  });
});
