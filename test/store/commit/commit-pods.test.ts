import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PodRuntime } from "../../../src/domain/pod.js";
import type { OpenDatabase } from "../../../src/store/open-database.js";
import { PodReads } from "../../../src/store/read/pod-reads.js";
import { backends } from "../../support/backends.js";
import { commitNext } from "../../support/commit.js";
import { openWithJob, podRuntime, TEST_JOB } from "../../support/records.js";

const JOB = TEST_JOB;

const pod = (instance: number, over: Partial<PodRuntime> = {}): PodRuntime =>
  podRuntime(instance, { updatedAt: 1000, ...over });

const AWKWARD = `quote " brace { } comma , backslash \\ apostrophe ' NULL ünïcode 🚀`;

describe.each(backends())("the commit of pods and pod events on $name", (backend) => {
  let open: OpenDatabase;
  let pods: PodReads;
  beforeAll(async () => {
    open = await openWithJob(backend);
    pods = new PodReads(open.db);
  });
  afterAll(async () => {
    await open?.close();
  });

  it("writes pods and events in one commit and reads them back exactly, awkward text included", async () => {
    const a = pod(0, {
      message: AWKWARD,
      ports: { http: 31000, "a,b": 31001 },
      host: "host-1",
      agentId: "agent-1",
    });
    const b = pod(1, { startedAt: 9_007_199_254_740_000, exitCode: 3, terminationReason: "FAILED" });
    await commitNext(open.db, {
      pods: [a, b],
      podEvents: [
        {
          jobId: JOB,
          instance: 0,
          runId: 1,
          actualState: "PENDING",
          desiredState: "RUNNING",
          configVersion: 1,
          desiredConfigVersion: 1,
          agentId: "",
          hostname: "",
          message: AWKWARD,
          reason: "",
          prevRunId: null,
          healthy: "DISABLED",
          at: 1000,
        },
      ],
    });
    expect(await pods.get(JOB, 0)).toEqual(a);
    expect(await pods.get(JOB, 1)).toEqual(b);
    const events = await pods.events(JOB, 0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ message: AWKWARD, prevRunId: null, at: 1000 });
  });

  it("updates existing pods on conflict", async () => {
    const next = pod(0, { runId: 2, prevRunId: 1, state: "RUNNING", message: "", ports: {}, revision: 7 });
    await commitNext(open.db, { pods: [next] });
    expect(await pods.get(JOB, 0)).toEqual(next);
    expect((await pods.listByJob(JOB)).map((p) => p.instance)).toEqual([0, 1]);
  });

  it("writes many rows in one statement", async () => {
    const many = Array.from({ length: 3 }, (_, i) => pod(i, { state: "RUNNING", revision: 10 + i }));
    const events = Array.from({ length: 2500 }, (_, i) => ({
      jobId: JOB,
      instance: i % 3,
      runId: 5,
      actualState: "RUNNING" as const,
      desiredState: "RUNNING" as const,
      configVersion: 1,
      desiredConfigVersion: 1,
      agentId: "a",
      hostname: "h",
      message: `m${i}`,
      reason: "",
      prevRunId: 4,
      healthy: "HEALTHY",
      at: 2000 + i,
    }));
    await commitNext(open.db, { pods: many, podEvents: events });
    expect((await pods.events(JOB, 2, 5)).length).toBe(833);
    expect(
      (await pods.query({ jobId: JOB, states: ["RUNNING"], hosts: [], offset: 0, limit: 10 })).total,
    ).toBe(3);
  });

  it("writes nothing when a later chunk of the commit fails", async () => {
    const before = await pods.listByJob(JOB);
    const eventsBefore = (await pods.events(JOB, 1, 5)).length;
    // Three chunks of events; the last row of the last one breaks NOT NULL.
    const events = Array.from({ length: 25_000 }, (_, i) => ({
      jobId: JOB,
      instance: 1,
      runId: 5,
      actualState: (i === 24_999 ? null : "RUNNING") as "RUNNING",
      desiredState: "RUNNING" as const,
      configVersion: 1,
      desiredConfigVersion: 1,
      agentId: "a",
      hostname: "h",
      message: "",
      reason: "",
      prevRunId: null,
      healthy: "",
      at: 3000,
    }));
    await expect(
      commitNext(open.db, { pods: [pod(1, { state: "KILLED", revision: 99 })], podEvents: events }),
    ).rejects.toThrow();
    expect(await pods.listByJob(JOB)).toEqual(before);
    expect((await pods.events(JOB, 1, 5)).length).toBe(eventsBefore);
  });

  it("deletes a job with its pods and events", async () => {
    await commitNext(open.db, { deleteJobs: [JOB] });
    expect(await pods.listByJob(JOB)).toEqual([]);
    expect(await pods.events(JOB, 0)).toEqual([]);
  });
});
