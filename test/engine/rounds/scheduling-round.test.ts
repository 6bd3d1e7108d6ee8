import { describe, expect, it } from "vitest";
import type { HostSpec, HostState } from "../../../src/domain/host.js";
import type { JobRecord } from "../../../src/domain/job.js";
import type { PodTemplate } from "../../../src/domain/pod.js";
import { resources } from "../../../src/domain/resources.js";
import type { VolumeRecord } from "../../../src/domain/volume.js";
import type { EngineScheduler } from "../../../src/engine/ports.js";
import { type PendingPod, schedulingRound } from "../../../src/engine/rounds/scheduling-round.js";
import { place } from "../../../src/scheduler/placement/place.js";
import { podRuntime, podTemplate, TEST_JOB } from "../../support/records.js";

const JOB = TEST_JOB;

const job: JobRecord = {
  id: JOB,
  name: "j",
  owner: "o",
  owningTeam: "",
  description: "",
  labels: [],
  respoolId: "p",
  instanceCount: 3,
  priority: 0,
  maxUnavailable: 0,
  state: "RUNNING",
  goalState: "RUNNING",
  configVersion: 1,
  desiredStateVersion: 1,
  workflowVersion: 1,
  revision: 1,
  createdAt: 0,
  updatedAt: 0,
  completedAt: null,
};

const template = (o: Partial<PodTemplate> = {}): PodTemplate =>
  podTemplate({ resources: resources({ cpu: 1, memory: 100, disk: 1000 }), ...o });

const runtime = podRuntime;

const volume = (instance: number, hostname: string, sizeMb: number): VolumeRecord => ({
  id: `00000000-0000-4000-8000-00000000000${instance}`,
  jobId: JOB,
  instance,
  hostname,
  state: "CREATED",
  goal: "CREATED",
  sizeMb,
  containerPath: "/data",
  createdAt: 0,
  updatedAt: 0,
});

const host = (hostname: string, state: HostState = "UP"): { spec: HostSpec; state: HostState } => ({
  spec: {
    hostname,
    ip: "10.0.0.1",
    capacity: resources({ cpu: 8, memory: 8000, disk: 10_000 }),
    ports: { begin: 31000, end: 32000 },
    labels: [],
  },
  state,
});

/** Admits every pending pod; places with the real placement and the `pack` strategy (fullest host first). */
const scheduler: EngineScheduler = {
  pools: async (s) => ({ pools: new Map(), admitted: s.pending, pending: [], preemptions: [] }),
  place: (hosts, pods) => place(hosts, pods, { strategy: "pack" }),
};

const pending = (instance: number, t: PodTemplate, v?: VolumeRecord): PendingPod => ({
  job,
  pod: runtime(instance, v ? { volumeId: v.id } : {}),
  template: t,
  seq: instance,
  volume: v,
});

describe("schedulingRound with persistent volumes", () => {
  // Host a is the fullest (a pod of 4 cpu and 1,000 MB disk runs there), so `pack` tries it first.
  const busyOnA = {
    job,
    pod: runtime(9, { state: "RUNNING", host: "a" }),
    template: template({ resources: resources({ cpu: 4, disk: 1000 }) }),
  };

  it("counts a volume's disk on its host, whether or not its pod runs", async () => {
    const out = await schedulingRound(
      {
        now: 5,
        pending: [pending(0, template())],
        onHost: [busyOnA],
        hosts: [host("a"), host("b")],
        volumes: [volume(1, "a", 9500)],
      },
      scheduler,
    );
    // 10,000 MB of disk on a, 1,000 held by its pod and 9,500 by the volume: the new pod no longer fits.
    expect(out.placed.map((p) => p.host)).toEqual(["b"]);
  });

  it("finds room for a new volume's disk besides the pod's own", async () => {
    const t = template({ volume: { containerPath: "/data", sizeMb: 8500 } });
    const out = await schedulingRound(
      { now: 5, pending: [pending(0, t)], onHost: [busyOnA], hosts: [host("a"), host("b")], volumes: [] },
      scheduler,
    );
    // a has 9,000 MB free: 1,000 for the pod alone would fit, 9,500 with the volume do not.
    expect(out.placed.map((p) => p.host)).toEqual(["b"]);
  });

  it("sends a pod with a volume to the volume's host only, and says why it waits", async () => {
    const t = template({ volume: { containerPath: "/data", sizeMb: 500 } });
    const onA = volume(0, "a", 500);
    const onDown = volume(1, "c", 500);
    const out = await schedulingRound(
      {
        now: 5,
        pending: [pending(0, t, onA), pending(1, t, onDown)],
        onHost: [],
        hosts: [host("a"), host("b"), host("c", "DOWN")],
        volumes: [onA, onDown],
      },
      scheduler,
    );
    expect(out.placed.map((p) => [p.instance, p.host])).toEqual([[0, "a"]]);
    expect(out.waiting.map((p) => [p.instance, p.message])).toEqual([
      [1, `waiting for host c, which holds its persistent volume ${onDown.id}: host DOWN`],
    ]);
  });
});
