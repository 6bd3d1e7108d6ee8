import { describe, expect, it } from "vitest";
import type { HostEvent } from "../../src/fleet/ports.js";
import { harness, pod, RUNNING_AT } from "./support.js";

describe("SimulatedFleet faults", () => {
  it("host down: its runs become LOST, launches there fail LOST, resources are freed", () => {
    const { clock, fleet, events, updates } = harness();
    fleet.launch([
      pod("a-0-1", "./svc"),
      pod("a-1-1", "sleep 100"),
      pod("b-0-1", "./svc", { hostname: "h2" }),
    ]);
    clock.advance(1000);
    fleet.hostDown("h1", "power cut");
    expect(fleet.getHost("h1")).toMatchObject({ state: "DOWN", podCount: 0 });
    fleet.launch([pod("a-2-1", "true")]);
    clock.advance(0);
    const tail = events().slice(-4);
    expect(tail[0]).toMatchObject({
      kind: "host",
      hostname: "h1",
      state: "DOWN",
      message: "power cut",
      at: 1000,
    });
    expect(tail.slice(1).map((e) => e.kind === "pod" && [e.podId, e.state, e.reason])).toEqual([
      ["a-0-1", "LOST", "REASON_AGENT_DISCONNECTED"],
      ["a-1-1", "LOST", "REASON_AGENT_DISCONNECTED"],
      ["a-2-1", "LOST", "REASON_AGENT_DISCONNECTED"],
    ]);
    // The lost sleeper never reports its exit; the run on h2 is untouched.
    clock.advance(200_000);
    expect(updates("a-1-1").at(-1)?.state).toBe("LOST");
    expect(fleet.podStatus("b-0-1")?.state).toBe("RUNNING");
  });

  it("host up: the host returns empty under a new agent id and takes launches again", () => {
    const { clock, fleet, events, updates } = harness();
    fleet.hostDown("h1");
    fleet.hostUp("h1");
    fleet.launch([pod("a-0-1", "true")]);
    clock.advance(1000);
    const hostEvents = events().filter((e): e is HostEvent => e.kind === "host");
    expect(hostEvents.map((e) => [e.state, e.agentId])).toEqual([
      ["DOWN", "h1-S0"],
      ["UP", "h1-S1"],
    ]);
    expect(updates("a-0-1").at(-1)).toMatchObject({ state: "SUCCEEDED", agentId: "h1-S1" });
  });

  it("agent restart: pods keep running and their state is re-reported after the downtime", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("a-0-1", "./svc"), pod("a-1-1", "sleep 10")]);
    clock.advance(1000);
    const before = updates().length;
    fleet.restartAgent("h1", 500);
    clock.advance(499);
    expect(updates()).toHaveLength(before);
    clock.advance(1);
    expect(updates().slice(before)).toEqual([
      expect.objectContaining({
        podId: "a-0-1",
        state: "RUNNING",
        reason: "REASON_RECONCILIATION",
        at: 1500,
      }),
      expect.objectContaining({
        podId: "a-1-1",
        state: "RUNNING",
        reason: "REASON_RECONCILIATION",
        at: 1500,
      }),
    ]);
    // The sleeper still ends on schedule.
    clock.advance(20_000);
    expect(updates("a-1-1").at(-1)).toMatchObject({ state: "SUCCEEDED", at: RUNNING_AT + 10_000 });
    expect(fleet.podStatus("a-0-1")?.state).toBe("RUNNING");
  });

  it("reconcile re-reports the given runs, or every unfinished one", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("a-0-1", "./svc"), pod("b-0-1", "./svc", { hostname: "h2" }), pod("c-0-1", "exit 4")]);
    clock.advance(1000);
    const before = updates().length;
    fleet.reconcile(["c-0-1", "zzz-0-1"]);
    fleet.reconcile();
    clock.advance(0);
    expect(
      updates()
        .slice(before)
        .map((u) => [u.podId, u.state, u.reason]),
    ).toEqual([
      ["c-0-1", "FAILED", "REASON_RECONCILIATION"],
      ["zzz-0-1", "LOST", "REASON_TASK_UNKNOWN"],
      ["a-0-1", "RUNNING", "REASON_RECONCILIATION"],
      ["b-0-1", "RUNNING", "REASON_RECONCILIATION"],
    ]);
  });

  it("slow launches delay LAUNCHED (and everything after it) on that host only", () => {
    const { clock, fleet, timeline } = harness();
    fleet.setLaunchSlowdown("h1", 5000);
    fleet.launch([pod("slow-0-1", "true"), pod("fast-0-1", "true", { hostname: "h2" })]);
    clock.advance(10_000);
    expect(timeline("slow-0-1")).toEqual([
      ["LAUNCHED", 5100],
      ["STARTING", 5150],
      ["RUNNING", 5350],
      ["SUCCEEDED", 5350],
    ]);
    expect(timeline("fast-0-1")[0]).toEqual(["LAUNCHED", 100]);
    fleet.setLaunchSlowdown("h1", 0);
    fleet.launch([pod("slow-0-2", "true")]);
    clock.advance(1000);
    expect(timeline("slow-0-2")[0]).toEqual(["LAUNCHED", 10_100]);
  });

  it("refuses faults on unknown hosts with NOT_FOUND", () => {
    const { fleet } = harness();
    expect(() => fleet.hostDown("nope")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => fleet.restartAgent("nope")).toThrow("host nope not found");
  });

  it("surfaces a listener's exception after every listener has had the batch", () => {
    const { clock, fleet, batches, timeline } = harness();
    let broken = true;
    fleet.subscribe(() => {
      if (broken) throw new Error("listener broke");
    });
    fleet.launch([pod("a-0-1", "true")]);
    expect(() => clock.advance(100)).toThrow("listener broke");
    expect(batches).toHaveLength(1);
    // The fleet stayed consistent: the run carries on once time moves again.
    broken = false;
    clock.advance(1000);
    expect(timeline("a-0-1").map(([s]) => s)).toEqual(["LAUNCHED", "STARTING", "RUNNING", "SUCCEEDED"]);
  });
});
