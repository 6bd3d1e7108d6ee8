import { describe, expect, it } from "vitest";
import type { PodRuntime } from "../../../../src/domain/pod.js";
import type { VolumeRecord } from "../../../../src/domain/volume.js";
import { StagedVolumes, VolumeCache } from "../../../../src/engine/cache/volume-cache.js";
import { volumeDeletion, volumeOnPlacement } from "../../../../src/engine/kinds/pod/volume-steps.js";
import { isAppError } from "../../../../src/lib/app-error.js";
import { podRuntime, podTemplate, TEST_JOB } from "../../../support/records.js";

const JOB = TEST_JOB;

const pod = (o: Partial<PodRuntime> = {}): PodRuntime =>
  podRuntime(2, { state: "PLACED", host: "h1", revision: 3, ...o });

const template = podTemplate;

const volume = (o: Partial<VolumeRecord> = {}): VolumeRecord => ({
  id: "v-1",
  jobId: JOB,
  instance: 2,
  hostname: "h1",
  state: "CREATED",
  goal: "CREATED",
  sizeMb: 10,
  containerPath: "/data",
  createdAt: 1,
  updatedAt: 1,
  ...o,
});

const withVolume = template({ volume: { containerPath: "/data", sizeMb: 64 } });

describe("volumeOnPlacement", () => {
  it("creates the volume on the pod's host when its spec asks for one and it has none", () => {
    const out = volumeOnPlacement(pod(), withVolume, undefined, 50, () => "new-id");
    expect(out.volume).toEqual({
      id: "new-id",
      jobId: JOB,
      instance: 2,
      hostname: "h1",
      state: "CREATED",
      goal: "CREATED",
      sizeMb: 64,
      containerPath: "/data",
      createdAt: 50,
      updatedAt: 50,
    });
    expect(out.pod.volumeId).toBe("new-id");
  });

  it("keeps an existing volume, and creates none for a pod without one", () => {
    const existing = volume();
    const kept = volumeOnPlacement(pod({ volumeId: "v-1" }), withVolume, existing, 50, () => "x");
    expect(kept).toEqual({ pod: pod({ volumeId: "v-1" }) });
    expect(volumeOnPlacement(pod(), template(), undefined, 50, () => "x")).toEqual({ pod: pod() });
  });
});

describe("volumeDeletion", () => {
  it.each(["PLACED", "LAUNCHING", "RUNNING", "KILLING"] as const)(
    "refuses while the pod is %s on a host, naming the pod",
    (state) => {
      let error: unknown;
      try {
        volumeDeletion(volume(), pod({ state, volumeId: "v-1" }), 9);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.code).toBe("FAILED_PRECONDITION");
      expect((error as Error).message).toBe(
        `volume v-1 is in use by pod ${JOB}-2 (${state} on h1); stop the pod first`,
      );
    },
  );

  it("marks the volume DELETED and frees the pod of it once the pod is off its host", () => {
    const out = volumeDeletion(volume(), pod({ state: "PENDING", host: null, volumeId: "v-1" }), 9);
    expect(out.volume).toEqual(volume({ state: "DELETED", goal: "DELETED", updatedAt: 9 }));
    expect(out.pod).toMatchObject({ volumeId: null, updatedAt: 9, revision: 4 });
  });
});

describe("VolumeCache", () => {
  it("answers as a tick sees it: staged deletions and creations first", () => {
    const cache = new VolumeCache();
    const old = volume();
    cache.load([old, volume({ id: "gone", instance: 5, state: "DELETED" })]);
    expect(cache.current(new StagedVolumes(), JOB, 2)).toEqual(old);
    expect(cache.current(new StagedVolumes(), JOB, 5)).toBeUndefined();
    expect(cache.byId(new StagedVolumes(), "v-1")).toEqual(old);

    const deleted = { ...old, state: "DELETED" as const };
    const fresh = volume({ id: "v-2", hostname: "h2" });
    const staged = new StagedVolumes([deleted, fresh]);
    expect(cache.current(new StagedVolumes([deleted]), JOB, 2)).toBeUndefined();
    expect(cache.current(staged, JOB, 2)).toEqual(fresh);
    expect(cache.byId(staged, "v-1")).toBeUndefined();
    expect([...cache.live(staged)]).toEqual([fresh]);

    cache.apply(staged.values());
    expect(cache.current(new StagedVolumes(), JOB, 2)).toEqual(fresh);
    cache.dropJob(JOB);
    expect([...cache.live(new StagedVolumes())]).toEqual([]);
  });
});
