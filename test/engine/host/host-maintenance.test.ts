import { describe, expect, it } from "vitest";
import type { HostState } from "../../../src/domain/host.js";
import { nextMaintenanceState } from "../../../src/domain/host-maintenance.js";
import { HostMaintenance } from "../../../src/engine/host/host-maintenance.js";
import { isAppError } from "../../../src/lib/app-error.js";
import { ManualClock } from "../../../src/lib/clock.js";

/** A fleet whose pod counts the test sets, recording what maintenance asks of it. */
class FakeFleet {
  pods = new Map<string, number>();
  down = new Set<string>();
  /** Hosts whose agent is lost (not taken down by maintenance). */
  lost = new Set<string>();
  podCount = (h: string) => this.pods.get(h) ?? 0;
  agentConnected = (h: string) => !this.down.has(h) && !this.lost.has(h);
  takeDown = (h: string) => void this.down.add(h);
  bringUp = (h: string) => void this.down.delete(h);
}

class MemoryStore {
  states = new Map<string, HostState>();
  writes = 0;
  failNext = false;
  async setStates(changes: readonly { hostname: string; state: HostState }[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("database unavailable");
    }
    this.writes++;
    for (const c of changes) this.states.set(c.hostname, c.state);
  }
}

const setup = (states: Record<string, HostState> = { a: "UP", b: "UP", c: "UP" }) => {
  const fleet = new FakeFleet();
  const store = new MemoryStore();
  const hosts = Object.entries(states).map(([hostname, state]) => ({ hostname, ip: "10.0.0.1", state }));
  return { fleet, store, m: new HostMaintenance(hosts, store, fleet, new ManualClock()) };
};

const code = (e: unknown) => (isAppError(e) ? e.code : String(e));

describe("nextMaintenanceState", () => {
  it.each<[HostState, number, HostState | undefined]>([
    ["UP", 0, undefined],
    ["UP", 3, undefined],
    ["DRAINING", 2, undefined],
    ["DRAINING", 0, "DRAINED"],
    ["DRAINED", 0, "DOWN"],
    ["DRAINED", 1, "DRAINING"],
    ["DOWN", 0, undefined],
  ])("%s with %i pods → %s", (state, pods, next) => {
    expect(nextMaintenanceState(state, pods)).toBe(next);
  });
});

describe("HostMaintenance", () => {
  it("takes an empty host all the way to DOWN, storing every step, and out of the fleet", async () => {
    const { m, fleet, store } = setup();
    await m.startMaintenance(["a"]);
    expect(m.state("a")).toBe("DOWN");
    expect(store.states.get("a")).toBe("DOWN");
    expect(store.writes).toBe(3);
    expect(fleet.down.has("a")).toBe(true);
  });

  it("keeps a host with pods DRAINING until they are gone", async () => {
    const { m, fleet } = setup();
    fleet.pods.set("b", 2);
    await m.startMaintenance(["b"]);
    expect(m.state("b")).toBe("DRAINING");
    await m.reconcile();
    expect(m.state("b")).toBe("DRAINING");
    fleet.pods.set("b", 0);
    await m.reconcile();
    expect(m.state("b")).toBe("DOWN");
  });

  it("changes nothing when one of the names is unknown", async () => {
    const { m, store } = setup();
    const err = await m.startMaintenance(["a", "nope"]).catch((e) => e);
    expect(code(err)).toBe("NOT_FOUND");
    expect(m.state("a")).toBe("UP");
    expect(store.writes).toBe(0);
  });

  it("completes maintenance only for DOWN hosts, bringing them back", async () => {
    const { m, fleet } = setup();
    await m.startMaintenance(["a"]);
    expect(code(await m.completeMaintenance(["a", "b"]).catch((e) => e))).toBe("NOT_FOUND");
    expect(m.state("a")).toBe("DOWN");
    await m.completeMaintenance(["a"]);
    expect(m.state("a")).toBe("UP");
    expect(fleet.down.has("a")).toBe(false);
  });

  it("keeps the cache unchanged when the store write fails", async () => {
    const { m, store } = setup();
    store.failNext = true;
    await expect(m.startMaintenance(["c"])).rejects.toThrow("database unavailable");
    expect(m.state("c")).toBe("UP");
  });

  it("resumes stored states: DOWN hosts stay out of the fleet, drains finish at the first reconcile", async () => {
    const { m, fleet } = setup({ a: "DOWN", b: "DRAINING", c: "UP" });
    m.resume();
    expect(fleet.down.has("a")).toBe(true);
    expect(m.state("b")).toBe("DRAINING");
    expect(m.draining()).toEqual(new Set(["b"]));
    await m.reconcile();
    expect(m.state("b")).toBe("DOWN");
    expect(m.draining()).toEqual(new Set());
    expect(m.state("c")).toBe("UP");
  });

  it("keeps a DRAINING host whose agent is lost DRAINING, and finishes the drain when it is back", async () => {
    const { m, fleet } = setup();
    fleet.pods.set("a", 1);
    await m.startMaintenance(["a"]);
    // The agent goes away: the fleet forgets its runs.
    fleet.lost.add("a");
    fleet.pods.set("a", 0);
    await m.reconcile();
    expect(m.state("a")).toBe("DRAINING");
    expect(fleet.down.has("a")).toBe(false);
    fleet.lost.delete("a");
    await m.reconcile();
    expect(m.state("a")).toBe("DOWN");
  });

  it("tells its listeners when hosts start draining, not when they go DOWN at once", async () => {
    const { m, fleet } = setup();
    let calls = 0;
    m.onDraining(() => calls++);
    await m.startMaintenance(["a"]);
    expect(calls).toBe(0);
    fleet.pods.set("b", 1);
    await m.startMaintenance(["b"]);
    expect(calls).toBe(1);
    expect(m.draining()).toEqual(new Set(["b"]));
    await m.startMaintenance(["b"]);
    expect(calls).toBe(1);
  });

  it("refuses an empty list", async () => {
    const { m } = setup();
    expect(code(await m.startMaintenance([]).catch((e) => e))).toBe("INVALID_ARGUMENT");
  });
});
