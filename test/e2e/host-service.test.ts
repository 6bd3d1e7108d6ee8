import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FleetEvent } from "../../src/fleet/ports.js";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import { ManualClock } from "../../src/lib/clock.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

const states = async (s: TestServer) =>
  Object.fromEntries((await s.host.queryHosts({})).hostInfos.map((h) => [h.hostname, HostState[h.state]]));

/** Resolves with the first fleet event batch holding an event that matches. */
const nextEvent = (s: TestServer, pred: (e: FleetEvent) => boolean) =>
  new Promise<FleetEvent>((resolve) => {
    const off = s.app.fleet.subscribe((events) => {
      const hit = events.find(pred);
      if (hit) {
        off();
        resolve(hit);
      }
    });
  });

/** Each test on a server of its own: a host one test leaves in maintenance is no other test's concern. */
describe("HostService", () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" });
  });
  afterEach(async () => {
    await s?.stop();
  });

  it("lists every host UP with its address, and filters by state", async () => {
    const { hostInfos } = await s.host.queryHosts({});
    expect(hostInfos.map((h) => h.hostname)).toEqual(["host-0000", "host-0001", "host-0002", "host-0003"]);
    expect(
      hostInfos.every((h) => h.state === HostState.HOST_STATE_UP && /^\d+\.\d+\.\d+\.\d+$/.test(h.ip)),
    ).toBe(true);
    expect((await s.host.queryHosts({ hostStates: [HostState.HOST_STATE_DOWN] })).hostInfos).toEqual([]);
    expect(await failure(s.host.queryHosts({ hostStates: [HostState.HOST_STATE_INVALID] }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["host_states[0]"],
    });
  });

  it("takes an empty host through maintenance to DOWN, out of the root pool's capacity, and back", async () => {
    const cpuOfRoot = async () =>
      (await s.respool.getResourcePool({ respoolId: { value: "root" } })).respool?.spec?.resources.find(
        (r) => r.kind === "cpu",
      )?.limit;
    const before = await cpuOfRoot();
    await s.host.startMaintenance({ hostnames: ["host-0000"] });
    expect((await states(s))["host-0000"]).toBe("HOST_STATE_DOWN");
    expect(
      (await s.host.queryHosts({ hostStates: [HostState.HOST_STATE_DOWN] })).hostInfos.map((h) => h.hostname),
    ).toEqual(["host-0000"]);
    expect(await cpuOfRoot()).toBe(before! - 16);
    await s.host.completeMaintenance({ hostnames: ["host-0000"] });
    expect((await states(s))["host-0000"]).toBe("HOST_STATE_UP");
    expect(await cpuOfRoot()).toBe(before);
  });

  it("keeps a host with a running pod DRAINING until the pod ends, then DOWN", async () => {
    s.app.fleet.launch([
      {
        podId: "job-0-1",
        hostname: "host-0001",
        resources: { cpu: 1, memory: 128, disk: 0, gpu: 0 },
        ports: {},
        containers: [{ name: "main", command: "sleep 3600" }],
      },
    ]);
    const running = nextEvent(s, (e) => e.kind === "pod" && e.state === "RUNNING");
    s.clock.advance(5_000);
    await running;
    await s.host.startMaintenance({ hostnames: ["host-0001"] });
    expect((await states(s))["host-0001"]).toBe("HOST_STATE_DRAINING");

    const killed = nextEvent(s, (e) => e.kind === "pod" && e.state === "KILLED");
    s.app.fleet.kill([{ podId: "job-0-1", gracePeriodMs: 1000 }]);
    s.clock.advance(5_000);
    await killed;
    await settle(s, async () => (await states(s))["host-0001"] === "HOST_STATE_DOWN");
  });

  it("answers NOT_FOUND for unknown hosts or hosts not DOWN, changing nothing", async () => {
    expect(await failure(s.host.startMaintenance({ hostnames: ["host-0002", "nope"] }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await states(s))["host-0002"]).toBe("HOST_STATE_UP");
    expect(await failure(s.host.completeMaintenance({ hostnames: ["host-0002"] }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.host.completeMaintenance({ hostnames: ["nope"] }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.host.startMaintenance({ hostnames: [] }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["hostnames"],
    });
  });
});

describe("host states across a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-hosts-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are kept in the database and applied to the fleet at start", async () => {
    const database = { kind: "pglite" as const, dataDir: dir };
    const first = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock: new ManualClock() });
    await first.host.startMaintenance({ hostnames: ["host-0002"] });
    await first.stop();

    const second = await startTestServer({ PELOTON_SIM_HOSTS: "3" }, { database, clock: new ManualClock() });
    try {
      expect((await states(second))["host-0002"]).toBe("HOST_STATE_DOWN");
      expect(second.app.fleet.getHost("host-0002")?.state).toBe("DOWN");
      await second.host.completeMaintenance({ hostnames: ["host-0002"] });
      expect(second.app.fleet.getHost("host-0002")?.state).toBe("UP");
    } finally {
      await second.stop();
    }
  });
});
