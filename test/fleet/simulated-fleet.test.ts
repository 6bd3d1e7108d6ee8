import { describe, expect, it } from "vitest";
import { resources } from "../../src/domain/resources.js";
import { SimulatedFleet } from "../../src/fleet/simulated-fleet.js";
import { ManualClock } from "../../src/lib/clock.js";
import { harness, host, pod, RUNNING_AT } from "./support.js";

describe("SimulatedFleet lifecycle", () => {
  it("runs `sleep 5; exit 3` through LAUNCHED, STARTING, RUNNING to FAILED(3) at the simulated times", () => {
    const { clock, fleet, updates, timeline } = harness();
    fleet.launch([pod("job-0-1", "sleep 5; exit 3")]);
    expect(updates()).toEqual([]);
    clock.advance(99);
    expect(updates()).toEqual([]);
    clock.advance(10_000);
    expect(timeline("job-0-1")).toEqual([
      ["LAUNCHED", 100],
      ["STARTING", 150],
      ["RUNNING", RUNNING_AT],
      ["FAILED", RUNNING_AT + 5000],
    ]);
    const failed = updates("job-0-1").at(-1)!;
    expect(failed).toMatchObject({
      hostname: "h1",
      agentId: "h1-S0",
      exitCode: 3,
      reason: "REASON_COMMAND_EXECUTOR_FAILED",
      container: "main",
    });
    expect(failed.health).toBeUndefined();
  });

  it("emits nothing synchronously and delivers each tick's updates as one batch", () => {
    const { clock, fleet, batches } = harness();
    fleet.launch([pod("a-0-1", "true"), pod("a-1-1", "true", { hostname: "h2" })]);
    expect(batches).toEqual([]);
    clock.advance(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => e.kind === "pod" && [e.podId, e.state])).toEqual([
      ["a-0-1", "LAUNCHED"],
      ["a-1-1", "LAUNCHED"],
    ]);
  });

  it("succeeds `true` at RUNNING time with exit code 0", () => {
    const { clock, fleet, timeline, updates } = harness();
    fleet.launch([pod("t-0-1", "true")]);
    clock.advance(1000);
    expect(timeline("t-0-1")).toEqual([
      ["LAUNCHED", 100],
      ["STARTING", 150],
      ["RUNNING", RUNNING_AT],
      ["SUCCEEDED", RUNNING_AT],
    ]);
    expect(updates("t-0-1").at(-1)).toMatchObject({ exitCode: 0, reason: undefined });
  });

  it("keeps a service RUNNING and holds no timer for it", () => {
    const { clock, fleet, timeline } = harness();
    fleet.launch([pod("svc-0-1", "./server --port 8080")]);
    clock.advance(24 * 3600 * 1000);
    expect(timeline("svc-0-1").map(([s]) => s)).toEqual(["LAUNCHED", "STARTING", "RUNNING"]);
    expect(fleet.pendingEvents).toBe(0);
    expect(clock.pending).toBe(0);
    expect(fleet.podStatus("svc-0-1")?.state).toBe("RUNNING");
  });

  it("scales delays and sleeps by the time factor", () => {
    const { clock, fleet, timeline } = harness({ timeFactor: 0.1 });
    fleet.launch([pod("f-0-1", "sleep 5")]);
    clock.advance(1000);
    expect(timeline("f-0-1")).toEqual([
      ["LAUNCHED", 10],
      ["STARTING", 15],
      ["RUNNING", 35],
      ["SUCCEEDED", 535],
    ]);
  });

  it("relaunching a known run re-reports it instead of starting it twice", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("r-0-1", "./svc")]);
    clock.advance(1000);
    fleet.launch([pod("r-0-1", "./svc")]);
    clock.advance(0);
    expect(updates("r-0-1").at(-1)).toMatchObject({
      state: "RUNNING",
      reason: "REASON_RECONCILIATION",
      at: 1000,
    });
    expect(fleet.getHost("h1")!.podCount).toBe(1);
  });

  it("rejects a malformed command with FAILED naming the field", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("bad-0-1", "sleep soon")]);
    clock.advance(0);
    expect(updates("bad-0-1")).toEqual([
      expect.objectContaining({
        state: "FAILED",
        reason: "REASON_TASK_INVALID",
        message: expect.stringMatching(/^containers\[0\]\.command: sleep: invalid time interval "soon"/),
        at: 0,
      }),
    ]);
  });
});

describe("SimulatedFleet kill", () => {
  it("kills a running pod after the kill delay, gracefully", () => {
    const { clock, fleet, timeline, updates } = harness();
    fleet.launch([pod("k-0-1", "./svc")]);
    clock.advance(1000);
    fleet.kill([{ podId: "k-0-1", gracePeriodMs: 10_000 }]);
    clock.advance(299);
    expect(timeline("k-0-1").at(-1)).toEqual(["RUNNING", RUNNING_AT]);
    clock.advance(1);
    expect(timeline("k-0-1").at(-1)).toEqual(["KILLED", 1300]);
    expect(updates("k-0-1").at(-1)).toMatchObject({ signal: "SIGTERM", reason: undefined });
    expect(fleet.getHost("h1")!.podCount).toBe(0);
  });

  it("kills within a grace period shorter than the kill delay, hard", () => {
    const { clock, fleet, timeline, updates } = harness();
    fleet.launch([pod("k-0-1", "./svc")]);
    clock.advance(1000);
    fleet.kill([{ podId: "k-0-1", gracePeriodMs: 50 }]);
    clock.advance(1000);
    expect(timeline("k-0-1").at(-1)).toEqual(["KILLED", 1050]);
    expect(updates("k-0-1").at(-1)?.signal).toBe("SIGKILL");
  });

  it("cancels a pending exit and the rest of the launch sequence", () => {
    const { clock, fleet, timeline, updates } = harness();
    fleet.launch([pod("k-0-1", "sleep 1")]);
    clock.advance(120);
    fleet.kill([{ podId: "k-0-1", gracePeriodMs: 1000 }]);
    clock.advance(10_000);
    expect(timeline("k-0-1")).toEqual([
      ["LAUNCHED", 100],
      ["KILLED", 420],
    ]);
    expect(updates("k-0-1").at(-1)?.reason).toBe("REASON_TASK_KILLED_DURING_LAUNCH");
  });

  it("a kill overtakes a running command's exit", () => {
    const { clock, fleet, timeline } = harness();
    fleet.launch([pod("k-0-1", "sleep 1; exit 5")]);
    clock.advance(RUNNING_AT + 500);
    fleet.kill([{ podId: "k-0-1", gracePeriodMs: 1000 }]);
    fleet.kill([{ podId: "k-0-1", gracePeriodMs: 1000 }]);
    clock.advance(10_000);
    expect(timeline("k-0-1").slice(2)).toEqual([
      ["RUNNING", RUNNING_AT],
      ["KILLED", RUNNING_AT + 800],
    ]);
  });

  it("reports an unknown pod LOST and re-reports a finished one", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("done-0-1", "exit 2")]);
    clock.advance(1000);
    fleet.kill([
      { podId: "nobody-0-1", gracePeriodMs: 0 },
      { podId: "done-0-1", gracePeriodMs: 0 },
    ]);
    clock.advance(0);
    expect(updates("nobody-0-1")).toEqual([
      expect.objectContaining({ state: "LOST", reason: "REASON_TASK_UNKNOWN", at: 1000 }),
    ]);
    expect(updates("done-0-1").at(-1)).toMatchObject({
      state: "FAILED",
      exitCode: 2,
      reason: "REASON_RECONCILIATION",
      at: 1000,
    });
  });
});

describe("SimulatedFleet health checks", () => {
  const check = {
    command: "false",
    initialIntervalSecs: 10,
    intervalSecs: 5,
    timeoutSecs: 2,
    maxConsecutiveFailures: 3,
  };

  it("reports UNHEALTHY after the 3rd consecutive failure, at the expected time", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("hc-0-1", "./svc", { check })]);
    clock.advance(RUNNING_AT);
    expect(updates("hc-0-1").at(-1)).toMatchObject({ state: "RUNNING", health: "UNKNOWN" });
    // Checks at RUNNING + 10 s, + 15 s, + 20 s; the third failure turns the pod unhealthy.
    clock.advance(20_000 - 1);
    expect(updates("hc-0-1")).toHaveLength(3);
    clock.advance(1);
    expect(updates("hc-0-1").at(-1)).toEqual(
      expect.objectContaining({
        state: "RUNNING",
        health: "UNHEALTHY",
        reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED",
        container: "main",
        at: RUNNING_AT + 20_000,
      }),
    );
    // It stays unhealthy (no repeated updates) and the pod keeps running: the engine decides.
    clock.advance(60_000);
    expect(updates("hc-0-1")).toHaveLength(4);
    expect(fleet.podStatus("hc-0-1")).toMatchObject({ state: "RUNNING", health: "UNHEALTHY" });
  });

  it("reports HEALTHY after the first passing check, counting the check's own run time", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("hc-0-1", "./svc", { check: { ...check, command: "sleep 1.5; true" } })]);
    clock.advance(RUNNING_AT + 11_500);
    expect(updates("hc-0-1").at(-1)).toMatchObject({ health: "HEALTHY", at: RUNNING_AT + 11_500 });
    clock.advance(60_000);
    expect(updates("hc-0-1")).toHaveLength(4);
  });

  it("fails a check that does not finish within its timeout", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("hc-0-1", "./svc", { check: { ...check, command: "sleep 10" } })]);
    // Each check fails at its timeout (2 s); the next starts 5 s later: 12, 19, 26 s.
    clock.advance(RUNNING_AT + 26_000);
    expect(updates("hc-0-1").at(-1)).toMatchObject({ health: "UNHEALTHY", at: RUNNING_AT + 26_000 });
  });

  it("takes Mesos' defaults for zero fields and stops checking when the pod ends", () => {
    const { clock, fleet, updates } = harness();
    const zero = {
      command: "true",
      initialIntervalSecs: 0,
      intervalSecs: 0,
      timeoutSecs: 0,
      maxConsecutiveFailures: 0,
    };
    fleet.launch([pod("hc-0-1", "sleep 30", { check: zero })]);
    clock.advance(RUNNING_AT + 15_000);
    expect(updates("hc-0-1").at(-1)).toMatchObject({ health: "HEALTHY", at: RUNNING_AT + 15_000 });
    clock.advance(20_000);
    expect(updates("hc-0-1").at(-1)).toMatchObject({ state: "SUCCEEDED", at: RUNNING_AT + 30_000 });
    expect(fleet.pendingEvents).toBe(0);
  });
});

describe("SimulatedFleet resource accounting", () => {
  it("rejects a launch that does not fit, and frees resources when a run ends", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([
      pod("big-0-1", "sleep 10", { resources: resources({ cpu: 3, memory: 1024 }) }),
      pod("big-1-1", "sleep 10", { resources: resources({ cpu: 2, memory: 1024 }) }),
    ]);
    expect(fleet.getHost("h1")!.allocated).toEqual({ cpu: 3, memory: 1024, disk: 0, gpu: 0 });
    clock.advance(0);
    expect(updates("big-1-1")).toEqual([
      expect.objectContaining({
        state: "FAILED",
        reason: "REASON_INVALID_OFFERS",
        message: "insufficient cpu on h1: requested 2, free 1 of 4",
      }),
    ]);
    clock.advance(RUNNING_AT + 10_000);
    expect(updates("big-0-1").at(-1)?.state).toBe("SUCCEEDED");
    expect(fleet.getHost("h1")!.allocated).toEqual({ cpu: 0, memory: 0, disk: 0, gpu: 0 });
    fleet.launch([pod("big-1-2", "true", { resources: resources({ cpu: 2, memory: 1024 }) })]);
    clock.advance(1000);
    expect(updates("big-1-2").at(-1)?.state).toBe("SUCCEEDED");
  });

  it("rejects a port that is taken or outside the host's range, and frees ports at the end", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([
      pod("p-0-1", "sleep 1", { ports: { http: 31001 } }),
      pod("p-1-1", "true", { ports: { http: 31001 } }),
      pod("p-2-1", "true", { ports: { http: 8080 } }),
      pod("p-3-1", "true", { ports: { a: 31002, b: 31002 } }),
    ]);
    expect([...fleet.getHost("h1")!.usedPorts]).toEqual([31001]);
    clock.advance(0);
    expect(updates().map((u) => [u.podId, u.state, u.message])).toEqual([
      ["p-1-1", "FAILED", "port 31001 (http) is already in use on h1"],
      ["p-2-1", "FAILED", "port 8080 (http) is outside h1's port range [31000, 31010)"],
      ["p-3-1", "FAILED", "port 31002 (b) is assigned twice in the launch"],
    ]);
    clock.advance(RUNNING_AT + 1000);
    expect(fleet.getHost("h1")!.usedPorts.size).toBe(0);
    fleet.launch([pod("p-1-2", "true", { ports: { http: 31001 } })]);
    clock.advance(1000);
    expect(updates("p-1-2").at(-1)?.state).toBe("SUCCEEDED");
  });

  it("reports a launch on an unknown host LOST", () => {
    const { clock, fleet, updates } = harness();
    fleet.launch([pod("u-0-1", "true", { hostname: "nowhere" })]);
    clock.advance(0);
    expect(updates("u-0-1")).toEqual([
      expect.objectContaining({
        state: "LOST",
        reason: "REASON_AGENT_UNKNOWN",
        hostname: "nowhere",
        agentId: "",
      }),
    ]);
  });
});

describe("SimulatedFleet sandbox", () => {
  it("lists a finished run's sandbox from its host's bounded history", () => {
    const { clock, fleet } = harness({ historyPerHost: 2 });
    fleet.launch([pod("s-0-1", "exit 1")]);
    clock.advance(1000);
    const listing = fleet.browseSandbox("s-0-1")!;
    expect(listing).toMatchObject({ podId: "s-0-1", hostname: "h1", agentId: "h1-S0", agentPort: 5051 });
    expect(listing.directory).toBe(
      "/var/lib/mesos/agent/slaves/h1-S0/frameworks/peloton/executors/s-0-1/runs/latest",
    );
    expect(listing.paths.map((p) => p.slice(listing.directory.length + 1))).toEqual([
      "stdout",
      "stderr",
      "stdout.logrotate.conf",
      "stderr.logrotate.conf",
    ]);
    // Two more finished runs push the first out of h1's history.
    fleet.launch([pod("s-1-1", "true"), pod("s-2-1", "true")]);
    clock.advance(1000);
    expect(fleet.browseSandbox("s-0-1")).toBeUndefined();
    expect(fleet.browseSandbox("s-2-1")).toBeDefined();
    expect(fleet.browseSandbox("never-0-1")).toBeUndefined();
  });

  it("lists per-container files for a pod with several containers", () => {
    const { clock, fleet } = harness();
    const containers = [
      { name: "app", command: "./app" },
      { name: "sidecar", command: "./proxy" },
    ];
    fleet.launch([pod("m-0-1", "", { containers })]);
    clock.advance(1000);
    const listing = fleet.browseSandbox("m-0-1")!;
    expect(listing.paths).toContain(`${listing.directory}/tasks/sidecar/stderr`);
  });
});

describe("SimulatedFleet options", () => {
  it("refuses bad timings and duplicate hostnames, naming the field", () => {
    const clock = new ManualClock(0);
    expect(() => new SimulatedFleet({ clock, hosts: [], killDelayMs: -1 })).toThrow("killDelayMs: must be");
    expect(() => new SimulatedFleet({ clock, hosts: [], timeFactor: 0 })).toThrow("timeFactor: must be");
    expect(() => new SimulatedFleet({ clock, hosts: [host("a"), host("a")] })).toThrow(
      'hosts[1].hostname: duplicate hostname "a"',
    );
  });
});
