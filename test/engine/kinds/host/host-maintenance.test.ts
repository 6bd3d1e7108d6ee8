import { describe, expect, it } from "vitest";
import { EMPTY_CHANGES } from "../../../../src/domain/change-set.js";
import type { HostGoal, HostState } from "../../../../src/domain/host.js";
import { HOST_ACTIONS, hostActionFor } from "../../../../src/engine/kinds/host/rules.js";
import { isAppError } from "../../../../src/lib/app-error.js";
import { engineHarness } from "../../support/engine-harness.js";
import { hostRecord } from "../../support/host-context.js";
import { runningJob, withPool } from "../../support/jobs.js";
import { MemoryStore } from "../../support/memory-store.js";
import { hostSpec } from "../../support/recording-fleet.js";

const code = (e: unknown) => (isAppError(e) ? e.code : String(e));

const hosts = ["a", "b", "c"].map((h) => hostSpec(h));

describe("the host rules", () => {
  it.each<[HostGoal, HostState, number, HostState | undefined]>([
    ["UP", "UP", 0, undefined],
    ["UP", "UP", 3, undefined],
    ["DOWN", "DRAINING", 2, undefined],
    ["DOWN", "DRAINING", 0, "DRAINED"],
    ["DOWN", "DRAINED", 0, "DOWN"],
    ["DOWN", "DRAINED", 1, "DRAINING"],
    ["DOWN", "DOWN", 0, undefined],
    ["DOWN", "UP", 1, "DRAINING"],
    ["UP", "DOWN", 0, "UP"],
  ])("goal %s, %s with %i runs → %s", (goal, state, runs, next) => {
    const step = HOST_ACTIONS[hostActionFor(goal, state)]({
      host: hostRecord("a", state, goal),
      runs,
      agentUp: true,
      now: 1,
    });
    expect(step.host?.state).toBe(next);
  });

  it("keeps a DRAINING host whose agent is lost as it is", () => {
    const host = hostRecord("a", "DRAINING", "DOWN");
    expect(HOST_ACTIONS.checkDrained({ host, runs: 0, agentUp: false, now: 1 })).toEqual({});
  });
});

describe("host maintenance in the engine", () => {
  it("takes an empty host all the way to DOWN in one commit, and out of the fleet", async () => {
    const h = await engineHarness({ hosts });
    const before = h.store.commits.length;
    await h.engine.startMaintenance(["a"]);
    expect(h.engine.host("a")?.state).toBe("DOWN");
    expect(h.store.hosts.get("a")).toMatchObject({ state: "DOWN", goal: "DOWN" });
    expect(h.store.commits.length).toBe(before + 1);
    expect(h.fleet.takenDown).toEqual(["a"]);
  });

  it("keeps a host with runs DRAINING until they are gone", async () => {
    const h = await engineHarness({ hosts });
    h.fleet.agentRuns.set("b", 2);
    await h.engine.startMaintenance(["b"]);
    expect(h.engine.host("b")?.state).toBe("DRAINING");
    await h.advance(5000);
    expect(h.engine.host("b")?.state).toBe("DRAINING");
    h.fleet.agentRuns.set("b", 0);
    // The agent reports a run ended: the host may be empty now.
    h.fleet.report({
      kind: "pod",
      podId: "x",
      hostname: "b",
      agentId: "",
      state: "KILLED",
      message: "",
      at: 1,
    });
    await h.engine.idle();
    expect(h.engine.host("b")?.state).toBe("DOWN");
    expect(h.store.hosts.get("b")?.state).toBe("DOWN");
  });

  it("changes nothing when one of the names is unknown", async () => {
    const h = await engineHarness({ hosts });
    const before = h.store.commits.length;
    const err = await h.engine.startMaintenance(["a", "nope"]).catch((e) => e);
    expect(code(err)).toBe("NOT_FOUND");
    expect(h.engine.host("a")?.state).toBe("UP");
    expect(h.store.commits.length).toBe(before);
  });

  it("completes maintenance only for DOWN hosts, bringing them back", async () => {
    const h = await engineHarness({ hosts });
    await h.engine.startMaintenance(["a"]);
    expect(code(await h.engine.completeMaintenance(["a", "b"]).catch((e) => e))).toBe("NOT_FOUND");
    expect(h.engine.host("a")?.state).toBe("DOWN");
    await h.engine.completeMaintenance(["a"]);
    expect(h.engine.host("a")?.state).toBe("UP");
    expect(h.store.hosts.get("a")).toMatchObject({ state: "UP", goal: "UP" });
    expect(h.fleet.broughtUp).toEqual(["a"]);
  });

  it("keeps everything as it was when the store write fails", async () => {
    const h = await engineHarness({ hosts });
    h.store.failNext = 1;
    expect(code(await h.engine.startMaintenance(["c"]).catch((e) => e))).toBe("UNAVAILABLE");
    expect(h.engine.host("c")?.state).toBe("UP");
    expect(h.store.hosts.get("c")?.state).toBe("UP");
    expect(h.fleet.takenDown).toEqual([]);
  });

  it("resumes stored states: DOWN hosts stay out of the fleet, drains finish at the first look", async () => {
    const store = new MemoryStore();
    await store.commit(
      {
        ...EMPTY_CHANGES,
        hosts: [
          hostRecord("a", "DOWN", "DOWN"),
          hostRecord("b", "DRAINING", "DOWN"),
          hostRecord("c", "UP", "UP"),
        ],
      },
      1,
    );
    const h = await engineHarness({ hosts, store });
    expect(h.fleet.takenDown).toContain("a");
    await h.engine.idle();
    expect(h.engine.host("b")?.state).toBe("DOWN");
    expect(h.engine.host("c")?.state).toBe("UP");
    expect(h.engine.host("a")?.state).toBe("DOWN");
  });

  it("keeps a DRAINING host whose agent is lost DRAINING, and finishes the drain when it is back", async () => {
    const h = await engineHarness({ hosts });
    h.fleet.agentRuns.set("a", 1);
    await h.engine.startMaintenance(["a"]);
    // The agent goes away: the fleet forgets its runs.
    h.fleet.lost.add("a");
    h.fleet.agentRuns.set("a", 0);
    h.fleet.report({ kind: "host", hostname: "a", state: "DOWN" });
    await h.engine.idle();
    expect(h.engine.host("a")?.state).toBe("DRAINING");
    expect(h.fleet.takenDown).toEqual([]);
    h.fleet.lost.delete("a");
    h.fleet.report({ kind: "host", hostname: "a", state: "UP" });
    await h.engine.idle();
    expect(h.engine.host("a")?.state).toBe("DOWN");
  });

  it("moves a running pod off a host as soon as the host starts draining", async () => {
    const h = await engineHarness({ hosts: [hostSpec("a")] });
    await withPool(h.engine);
    const job = await runningJob(h, 1);
    expect(h.engine.pod(job.id, 0)).toMatchObject({ state: "RUNNING", host: "a" });
    await h.engine.startMaintenance(["a"]);
    expect(h.engine.host("a")?.state).toBe("DRAINING");
    // The drain round runs in the tick after the command's.
    await h.engine.idle();
    expect(h.engine.pod(job.id, 0)).toMatchObject({
      state: "KILLING",
      terminationReason: "KILLED_HOST_MAINTENANCE",
    });
    expect(h.fleet.kills.map((k) => k.podId)).toEqual([`${job.id}-0-1`]);
  });

  it("refuses an empty list", async () => {
    const h = await engineHarness({ hosts });
    expect(code(await h.engine.startMaintenance([]).catch((e) => e))).toBe("INVALID_ARGUMENT");
  });
});
