import { describe, expect, it } from "vitest";
import { changeSet } from "../../../src/domain/change-set.js";
import { podId } from "../../../src/domain/pod.js";
import { isAppError } from "../../../src/lib/app-error.js";
import { jobRecord, poolRecord, ROOT } from "../../support/commit.js";
import { poolConfig } from "../../support/pools.js";
import { podRuntime, podTemplate } from "../../support/records.js";
import { engineHarness, type Harness } from "../support/engine-harness.js";
import { newJobInput, runLaunched, withPool } from "../support/jobs.js";
import { storeLegacyJob } from "../support/legacy-jobs.js";
import { MemoryStore } from "../support/memory-store.js";
import { RecordingFleet } from "../support/recording-fleet.js";

const codeOf = (e: unknown) => (isAppError(e) ? e.code : String(e));

/** Whether a promise has settled yet, and how (its reactions run before the test's next await returns). */
function watch(p: Promise<unknown>) {
  const seen: { state: "pending" | "fulfilled" | "rejected"; error?: unknown } = { state: "pending" };
  p.then(
    () => {
      seen.state = "fulfilled";
    },
    (error: unknown) => {
      seen.state = "rejected";
      seen.error = error;
    },
  );
  return seen;
}

/** A job of `n` pods placed and LAUNCHING, none confirmed by its agent yet. */
async function launchingJob(h: Harness, n: number) {
  const job = await h.engine.createJob(newJobInput(n));
  await h.engine.idle();
  expect(h.engine.pods(job.id).map((p) => p.state)).toEqual(Array(n).fill("LAUNCHING"));
  h.fleet.launches.splice(0);
  return job;
}

/** The agent's report that instance `i`'s current run is RUNNING. */
const runningReport = (h: Harness, jobId: string, i: number) => {
  const p = h.engine.pod(jobId, i)!;
  return RecordingFleet.pod(podId(jobId, i, p.runId), "RUNNING", h.clock.now(), { hostname: p.host! });
};

const errorLogged = (h: Harness, msg: string) =>
  h.log.lines.filter((l) => l.level === "error" && l.msg === msg);

describe("a failed commit", () => {
  it("changes nothing — cache as before, fleet told nothing — and the tick's work is committed after the backoff", async () => {
    const h = await engineHarness({ timings: { commitRetryMs: 500 } });
    await withPool(h.engine);
    const job = await h.engine.createJob(newJobInput(2));
    // The next tick creates, places and launches the pods: its commit fails.
    h.store.failNext = 1;
    const revision = h.engine.revision();
    const attempts = h.store.attempts;
    await h.engine.idle();
    expect(h.store.attempts).toBe(attempts + 1);
    expect(h.metrics.commitFailures).toBe(1);
    expect(errorLogged(h, "engine commit failed; retrying")).toHaveLength(1);
    expect(h.engine.revision()).toBe(revision);
    expect(h.engine.pods(job.id)).toEqual([]);
    expect(h.engine.workflow(job.id)?.instancesCurrent).toEqual([]);
    expect(h.fleet.launches).toEqual([]);
    expect(h.fleet.kills).toEqual([]);

    await h.advance(499);
    expect(h.store.attempts).toBe(attempts + 1);
    await h.advance(1);
    expect(h.store.attempts).toBeGreaterThan(attempts + 1);
    expect(h.engine.revision()).toBe(h.store.revision);
    expect(h.engine.revision()).toBeGreaterThan(revision);
    expect([0, 1].map((i) => h.store.pod(job.id, i)?.state)).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.fleet.launches).toHaveLength(2);
  });

  it("backs off longer after each failure in a row, and from the start again after a commit", async () => {
    const h = await engineHarness({ timings: { commitRetryMs: 100 } });
    await withPool(h.engine);
    const job = await h.engine.createJob(newJobInput(1));
    h.store.failNext = 3;
    await h.engine.idle();
    for (const wait of [100, 200, 400]) {
      const before = h.store.attempts;
      await h.advance(wait - 1);
      expect(h.store.attempts).toBe(before);
      await h.advance(1);
      expect(h.store.attempts).toBeGreaterThan(before);
    }
    expect(h.store.pod(job.id, 0)?.state).toBe("LAUNCHING");
    const retries = () =>
      errorLogged(h, "engine commit failed; retrying").map((l) => (l.obj as { retryInMs: number }).retryInMs);
    expect(retries()).toEqual([100, 200, 400]);
    h.store.failNext = 1;
    expect(codeOf(await h.engine.podCommand(job.id, 0, "stop").catch((e) => e))).toBe("UNAVAILABLE");
    expect(retries()).toEqual([100, 200, 400, 100]);
  });
});

describe("a tick that fails", () => {
  it("at its commit refuses its commands with UNAVAILABLE and keeps its reports and due keys: nothing is lost", async () => {
    const timings = { launchTimeoutMs: 10_000, commitRetryMs: 500, restartBackoffMs: 1_000 };
    const h = await engineHarness({ timings });
    await withPool(h.engine);
    const job = await launchingJob(h, 2);
    h.store.failNext = 1;
    // In one tick: instance 0's agent says it runs, instance 1's launch times out, and a command.
    h.clock.advance(10_000);
    h.fleet.report(runningReport(h, job.id, 0));
    const other = newJobInput(1);
    expect(codeOf(await h.engine.createJob(other).catch((e) => e))).toBe("UNAVAILABLE");
    await h.engine.idle();
    expect(h.metrics.commitFailures).toBe(1);
    expect(h.engine.pods(job.id).map((p) => p.state)).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.engine.job(other.id)).toBeUndefined();
    expect(h.store.jobs.has(other.id)).toBe(false);

    await h.advance(500);
    expect(h.store.pod(job.id, 0)?.state).toBe("RUNNING");
    expect(h.store.pod(job.id, 1)).toMatchObject({
      state: "LOST",
      reason: "REASON_LAUNCH_TIMEOUT",
      failureCount: 1,
    });
    // The store answers again: the lost run restarts after its backoff and everything runs.
    await h.advance(1_000);
    expect(h.fleet.launches.map((l) => l.podId)).toEqual([`${job.id}-1-2`]);
    await runLaunched(h);
    expect(h.engine.pods(job.id).map((p) => p.state)).toEqual(["RUNNING", "RUNNING"]);
    await h.engine.createJob(other);
    expect(h.store.jobs.has(other.id)).toBe(true);
  });

  it("before its commit (the scheduler throws) refuses its commands with UNAVAILABLE and keeps its reports and due keys", async () => {
    let failPools = false;
    const h = await engineHarness({
      timings: { commitRetryMs: 500 },
      scheduler: (real) => ({
        place: (hosts, pods) => real.place(hosts, pods),
        pools: async (snapshot) => {
          if (failPools) {
            failPools = false;
            throw new Error("the scheduler broke");
          }
          return real.pools(snapshot);
        },
      }),
    });
    await withPool(h.engine);
    const first = await launchingJob(h, 1);
    const second = await h.engine.createJob(newJobInput(2));
    // The next tick creates the second job's pods (due keys) and offers them to the scheduler.
    failPools = true;
    h.fleet.report(runningReport(h, first.id, 0));
    const third = newJobInput(1);
    expect(codeOf(await h.engine.createJob(third).catch((e) => e))).toBe("UNAVAILABLE");
    await h.engine.idle();
    expect(errorLogged(h, "engine tick failed before its commit; retrying")).toHaveLength(1);
    expect(h.store.attempts).toBe(h.store.commits.length);
    expect(h.engine.pods(second.id)).toEqual([]);
    expect(h.engine.pod(first.id, 0)?.state).toBe("LAUNCHING");
    expect(h.fleet.launches).toEqual([]);

    await h.advance(500);
    expect(h.store.pod(first.id, 0)?.state).toBe("RUNNING");
    expect([0, 1].map((i) => h.store.pod(second.id, i)?.state)).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.store.jobs.has(third.id)).toBe(false);
  });
});

describe("a decision that throws", () => {
  /** A job stored with configuration version 2 but only the templates of version 1: its pod cannot be decided. */
  async function poisonedStore(pod: Partial<Parameters<typeof podRuntime>[1]>) {
    const store = new MemoryStore();
    const poisoned = "0b5e0d4e-1c2a-4f00-9a5d-00000000dead";
    await storeLegacyJob(store, jobRecord(poisoned, { instanceCount: 1, configVersion: 2 }), {
      pods: [podRuntime(0, { jobId: poisoned, configVersion: 2, desiredConfigVersion: 2, ...pod })],
    });
    return { store, poisoned };
  }

  it("fails its own key only: retried with a backoff of its own and counted, while other pods converge", async () => {
    const { store, poisoned } = await poisonedStore({ state: "INITIALIZED" });
    const h = await engineHarness({ store, timings: { keyRetryMs: 1_000 } });
    const healthy = await h.engine.createJob(newJobInput(2));
    await h.engine.idle();
    expect([0, 1].map((i) => h.store.pod(healthy.id, i)?.state)).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.store.pod(poisoned, 0)?.state).toBe("INITIALIZED");
    await runLaunched(h);
    expect(h.store.jobs.get(healthy.id)?.state).toBe("RUNNING");

    await h.advance(1_000);
    await h.advance(2_000);
    await h.advance(4_000);
    const failures = errorLogged(h, "a decision failed; retrying it alone");
    expect(failures.map((l) => (l.obj as { retryInMs: number }).retryInMs)).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(failures.every((l) => (l.obj as { key: string }).key === `p:${poisoned}:0`)).toBe(true);
    expect(h.metrics.errors.get("pod/decide")).toBe(4);
    expect(h.metrics.commitFailures).toBe(0);

    // Its templates turn up: the next look decides it, and it runs like the others.
    h.store.templates.get(poisoned)!.set(2, { default: podTemplate(), instances: {} });
    await h.engine.refreshJob(poisoned);
    await h.engine.idle();
    expect(h.store.pod(poisoned, 0)?.state).toBe("LAUNCHING");
    await h.advance(60_000);
    expect(h.metrics.errors.get("pod/decide")).toBe(4);
  });
  it("on a host, leaves the rounds to the other pods: they are placed, the engine does not stall", async () => {
    const onHost = await poisonedStore({ state: "RUNNING", host: "h0", agentId: "agent-h0" });
    const h = await engineHarness({ store: onHost.store });
    const healthy = await h.engine.createJob(newJobInput(2));
    await h.engine.idle();
    expect([0, 1].map((i) => h.store.pod(healthy.id, i)?.state)).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.metrics.commitFailures).toBe(0);
    expect(errorLogged(h, "engine tick failed before its commit; retrying")).toEqual([]);
  });

  it("reached through an agent's report fails its own key only: the report is taken, commands go on", async () => {
    const { store, poisoned } = await poisonedStore({ state: "RUNNING", host: "h0", agentId: "agent-h0" });
    const healthy = "0b5e0d4e-1c2a-4f00-9a5d-00000000beef";
    await storeLegacyJob(store, jobRecord(healthy, { instanceCount: 1, state: "RUNNING" }), {
      pods: [podRuntime(0, { jobId: healthy, state: "RUNNING", host: "h1", agentId: "agent-h1" })],
    });
    const h = await engineHarness({ store, timings: { keyRetryMs: 1_000 } });
    await h.engine.idle();
    const errors = h.metrics.errors.get("pod/decide") ?? 0;
    h.fleet.report(RecordingFleet.pod(`${poisoned}-0-1`, "FAILED", h.clock.now(), { exitCode: 1 }));
    const stopped = await h.engine.setJobGoal(healthy, "KILLED", undefined).then(
      () => "OK",
      (e) => codeOf(e),
    );
    expect(stopped).toBe("OK");
    expect(h.store.pod(healthy, 0)).toMatchObject({ goal: "KILLED", state: "KILLING" });
    // Commands go first; the report is taken in the tick after.
    await h.engine.idle();
    expect(h.store.pod(poisoned, 0)).toMatchObject({ state: "FAILED", failureCount: 1 });
    expect(h.metrics.errors.get("pod/observe")).toBe(1);
    expect(h.metrics.commitFailures).toBe(0);
    // The pod's own decision keeps failing alone, with its backoff.
    await h.advance(1_000);
    expect((h.metrics.errors.get("pod/decide") ?? 0) - errors).toBe(1);
  });
});

describe("a revision conflict", () => {
  it("reloads what the store holds and goes on, the tick's reports kept", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await launchingJob(h, 1);
    // Another writer commits behind the engine's back: a pool the engine does not know.
    await h.store.commit(
      changeSet({ pools: [poolRecord("q", ROOT, poolConfig("q", { cpu: [4, 4] }))] }),
      h.store.revision + 1,
    );
    h.fleet.report(runningReport(h, job.id, 0));
    const command = newJobInput(1, { respoolId: "p" });
    expect(codeOf(await h.engine.createJob(command).catch((e) => e))).toBe("UNAVAILABLE");
    await h.engine.idle();
    expect(errorLogged(h, "the store moved on without this engine; reloading")).toHaveLength(1);
    expect(h.engine.revision()).toBe(h.store.revision);
    expect(h.store.pod(job.id, 0)?.state).toBe("RUNNING");
    // The reloaded engine knows the other writer's pool.
    const inQ = await h.engine.createJob(newJobInput(1, { respoolId: "q" }));
    await h.engine.idle();
    expect(h.store.pod(inQ.id, 0)?.state).toBe("LAUNCHING");
  });
});

describe("stopping the engine", () => {
  it("settles every command: the one being committed answers, those waiting get UNAVAILABLE, later ones too", async () => {
    const h = await engineHarness();
    const commit = h.store.hold();
    const first = watch(h.engine.startMaintenance(["h0"]));
    await commit.reached;
    const waiting = watch(h.engine.startMaintenance(["h1"]));
    const stopped = h.engine.stop();
    commit.release();
    await stopped;
    expect(first.state).toBe("fulfilled");
    expect(waiting.state).toBe("rejected");
    expect(codeOf(waiting.error)).toBe("UNAVAILABLE");
    expect(codeOf(await h.engine.startMaintenance(["h1"]).catch((e) => e))).toBe("UNAVAILABLE");
    expect(h.store.hosts.get("h1")?.state).toBe("UP");
  });

  it("settles the commands waiting out a failed commit's backoff", async () => {
    const h = await engineHarness({ timings: { commitRetryMs: 10_000 } });
    h.store.failNext = 1;
    expect(codeOf(await h.engine.startMaintenance(["h0"]).catch((e) => e))).toBe("UNAVAILABLE");
    const waiting = watch(h.engine.startMaintenance(["h0"]));
    await h.engine.idle();
    expect(waiting.state).toBe("pending");
    await h.engine.stop();
    expect(waiting.state).toBe("rejected");
    expect(codeOf(waiting.error)).toBe("UNAVAILABLE");
  });
});

describe("refresh commands", () => {
  it("RefreshPod puts the row as stored now in the cache and asks the fleet about the run", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await launchingJob(h, 1);
    const row = h.store.pod(job.id, 0)!;
    h.store.pods.set(`${job.id}:0`, {
      ...row,
      message: "changed elsewhere",
      failureCount: 7,
      revision: row.revision + 5,
    });
    expect(h.engine.pod(job.id, 0)?.message).not.toBe("changed elsewhere");
    await h.engine.refreshPod(job.id, 0);
    expect(h.engine.pod(job.id, 0)).toEqual(h.store.pod(job.id, 0));
    expect(h.fleet.reconciled.at(-1)).toEqual([`${job.id}-0-1`]);
  });

  it("RefreshPod reads the row after its tick's commit, not before", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await launchingJob(h, 1);
    await Promise.all([h.engine.podCommand(job.id, 0, "stop"), h.engine.refreshPod(job.id, 0)]);
    expect(h.store.pod(job.id, 0)).toMatchObject({ goal: "KILLED", state: "KILLING" });
    expect(h.engine.pod(job.id, 0)).toEqual(h.store.pod(job.id, 0));
  });

  it("RefreshJob reads the job's configurations as stored now", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const job = await launchingJob(h, 1);
    h.store.templates.get(job.id)!.set(2, { default: podTemplate({ killGracePeriodMs: 9 }), instances: {} });
    const outdated = { ...h.engine.pod(job.id, 0)!, configVersion: 2 };
    expect(h.engine.templateFor(outdated)?.killGracePeriodMs).toBe(0);
    await h.engine.refreshJob(job.id);
    expect(h.engine.templateFor(outdated)?.killGracePeriodMs).toBe(9);
  });
});

describe("a pool update", () => {
  it("wakes placement: a pod waiting for its pool's room is placed at once, not at the next scheduling interval", async () => {
    const h = await engineHarness({ timings: { scheduleIntervalMs: 3_600_000 } });
    await withPool(h.engine, 1);
    const job = await h.engine.createJob(newJobInput(2));
    await h.engine.idle();
    const states = () =>
      h.engine
        .pods(job.id)
        .map((p) => p.state)
        .sort();
    expect(states()).toEqual(["LAUNCHING", "PENDING"]);
    expect(h.engine.pods(job.id).find((p) => p.state === "PENDING")?.message).toMatch(
      /^waiting for admission/,
    );
    const start = h.clock.now();
    await h.engine.updatePool({
      id: "p",
      config: poolConfig("p", { cpu: [4, 4], memory: [100_000, 100_000] }),
    });
    await h.engine.idle();
    expect(states()).toEqual(["LAUNCHING", "LAUNCHING"]);
    expect(h.clock.now()).toBe(start);
  });
});
