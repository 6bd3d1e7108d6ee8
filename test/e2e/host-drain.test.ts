import { afterEach, describe, expect, it } from "vitest";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import { PodState } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { ON_HOST } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import { elapse, settle } from "../support/settle.js";

/**
 * Host maintenance that moves pods: StartMaintenance drains a host by killing its pods (reason
 * KILLED_HOST_MAINTENANCE) so they start elsewhere, never taking a job past its
 * maximum_unavailable_instances. Through the gRPC API, on simulated time.
 */

const BIG = {
  containers: [
    { name: "main", command: { value: "sleep 100000" }, resource: { cpuLimit: 12, memLimitMb: 128 } },
  ],
};

interface Pod {
  readonly name: string;
  readonly podId: string;
  readonly state: string;
  readonly desired: string;
  readonly host: string;
}

async function podsOf(s: TestServer, jobId: string): Promise<Pod[]> {
  const out: Pod[] = [];
  for await (const batch of s.job.listPods({ jobId: { value: jobId } })) {
    for (const p of batch.pods) {
      out.push({
        name: p.podName!.value,
        podId: p.status!.podId!.value,
        state: PodState[p.status!.state].replace("POD_STATE_", ""),
        desired: PodState[p.status!.desiredState].replace("POD_STATE_", ""),
        host: p.status!.host,
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

const hostStates = async (s: TestServer): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await s.host.queryHosts({})).hostInfos.map((h) => [
      h.hostname,
      HostState[h.state].replace("HOST_STATE_", ""),
    ]),
  );

/** Instances that should run and do not (PodDisruptionBudget-style unavailability). */
const unavailable = (pods: readonly Pod[]) =>
  pods.filter((p) => p.desired === "RUNNING" && p.state !== "RUNNING").length;
const running = (pods: readonly Pod[]) => pods.filter((p) => p.state === "RUNNING").length;

/** GetResourcePool's allocation equals the resources of the pool's pods on hosts. */
async function expectExactAllocation(
  s: TestServer,
  pool: string,
  jobs: readonly { id: string; cpu: number }[],
) {
  let cpu = 0;
  let memory = 0;
  for (const j of jobs) {
    for (const p of await podsOf(s, j.id)) {
      if (!ON_HOST.has(p.state)) continue;
      cpu += j.cpu;
      memory += 128;
    }
  }
  const { respool } = await s.respool.getResourcePool({ respoolId: { value: pool } });
  const byKind = Object.fromEntries(respool!.usages.map((u) => [u.kind, u.allocation]));
  expect(byKind.cpu ?? 0).toBeCloseTo(cpu, 6);
  expect(byKind.memory ?? 0).toBe(memory);
}

/** The events of an earlier run show it was killed for maintenance on `host`. */
async function expectKilledForMaintenance(s: TestServer, podName: string, podId: string, host: string) {
  const { events } = await s.pod.getPodEvents({ podName: { value: podName }, podId: { value: podId } });
  const killing = events.find((e) => e.actualState === "POD_STATE_KILLING");
  expect(killing?.message).toBe(`killing for maintenance of host ${host}`);
  expect(killing?.hostname).toBe(host);
  expect(events.at(-1)?.actualState).toBe("POD_STATE_KILLED");
}

describe.each(serverBackends())("host maintenance drains ($name)", (backend) => {
  let s: TestServer | undefined;
  let database: ServerDatabase | undefined;
  afterEach(async () => {
    await s?.stop();
    await database?.dispose();
    s = undefined;
    database = undefined;
  });
  const start = async (hosts: number) => {
    database = await backend.create();
    s = await startTestServer(
      { PELOTON_SIM_HOSTS: String(hosts) },
      { database: database.target, timings: { restartBackoffMs: 1_000, restartBackoffCapMs: 4_000 } },
    );
    return s;
  };
  /** Two 16-cpu hosts and a job of three 12-cpu pods: two run, one waits for room. */
  const heldJob = async (s: TestServer, pool: string) => {
    const id = await createSleepJob(s, pool, 3, BIG, [], { sla: { maximumUnavailableInstances: 1 } });
    await settle(s, async () => running(await podsOf(s, id)) === 2);
    return id;
  };

  it("moves pods off a draining host one at a time within the SLA, and the host reaches DOWN", async () => {
    const s = await start(3);
    const pool = await createPool(s, "svc", 32, 16_384);
    const id = await createSleepJob(s, pool, 6, {}, [], { sla: { maximumUnavailableInstances: 1 } });
    await settle(s, async () => running(await podsOf(s, id)) === 6);
    const before = await podsOf(s, id);
    const count = new Map<string, number>();
    for (const p of before) count.set(p.host, (count.get(p.host) ?? 0) + 1);
    const [host, onHost] = [...count].sort((a, b) => b[1] - a[1])[0]!;
    expect(onHost).toBeGreaterThanOrEqual(2);

    await s.host.startMaintenance({ hostnames: [host] });
    let maxUnavailable = 0;
    await settle(
      s,
      async () => {
        const pods = await podsOf(s, id);
        maxUnavailable = Math.max(maxUnavailable, unavailable(pods));
        expect(unavailable(pods)).toBeLessThanOrEqual(1);
        await expectExactAllocation(s, pool, [{ id, cpu: 1 }]);
        // Done when the host is DOWN and the last pod moved off it runs again elsewhere.
        return (await hostStates(s))[host] === "DOWN" && running(pods) === 6;
      },
      { stepMs: 100, maxSteps: 1_000 },
    );
    // It did move pods, one at a time.
    expect(maxUnavailable).toBe(1);
    const after = await podsOf(s, id);
    expect(running(after)).toBe(6);
    expect(after.some((p) => p.host === host)).toBe(false);
    const moved = before.filter((p) => p.host === host);
    for (const p of moved) {
      const now = after.find((a) => a.name === p.name)!;
      expect(now.podId).not.toBe(p.podId);
      await expectKilledForMaintenance(s, p.name, p.podId, host);
      // A maintenance kill is no failure of the pod.
      const { current } = await s.pod.getPod({ podName: { value: p.name } });
      expect(current?.status?.containersStatus[0]?.failureCount).toBe(0);
    }
    // Pods elsewhere were left alone.
    for (const p of before.filter((b) => b.host !== host))
      expect(after.find((a) => a.name === p.name)!.podId).toBe(p.podId);
    await expectExactAllocation(s, pool, [{ id, cpu: 1 }]);
  });

  it("keeps a host DRAINING with its pod running while moving it would break the SLA; a lost agent does not make it DOWN", async () => {
    const s = await start(2);
    const pool = await createPool(s, "svc", 40, 16_384);
    const id = await heldJob(s, pool);
    const host = "host-0000";
    const mine = (await podsOf(s, id)).find((p) => p.host === host)!;
    expect(mine.state).toBe("RUNNING");

    await s.host.startMaintenance({ hostnames: [host] });
    await elapse(s, 20_000);
    expect((await hostStates(s))[host]).toBe("DRAINING");
    expect((await podsOf(s, id)).find((p) => p.name === mine.name)).toMatchObject({
      podId: mine.podId,
      state: "RUNNING",
      host,
    });
    expect(
      (await s.job.getJob({ jobId: { value: id }, summaryOnly: true })).summary?.status?.podStats,
    ).toEqual({
      POD_STATE_RUNNING: 2,
      POD_STATE_PENDING: 1,
    });
    await expectExactAllocation(s, pool, [{ id, cpu: 12 }]);

    // The host's agent is lost: its run is LOST, and the fleet no longer knows any pod there.
    s.app.fleet.hostDown(host, "agent lost");
    await settle(s, async () => !(await podsOf(s, id)).some((p) => p.host === host));
    await elapse(s, 10_000);
    expect((await hostStates(s))[host]).toBe("DRAINING");
    await expectExactAllocation(s, pool, [{ id, cpu: 12 }]);
    // Back, and empty: now the drain is done.
    s.app.fleet.hostUp(host);
    await settle(s, async () => (await hostStates(s))[host] === "DOWN");
    expect(s.app.fleet.getHost(host)?.state).toBe("DOWN");
    expect(running(await podsOf(s, id))).toBe(1);
  });

  it("lets every host go DOWN for a job with no SLA, and CompleteMaintenance brings them back into placement", async () => {
    const s = await start(3);
    const pool = await createPool(s, "svc", 32, 16_384);
    const id = await createSleepJob(s, pool, 6);
    await settle(s, async () => running(await podsOf(s, id)) === 6);
    const before = await podsOf(s, id);
    const all = ["host-0000", "host-0001", "host-0002"];

    await s.host.startMaintenance({ hostnames: all });
    let maxUnavailable = 0;
    await settle(
      s,
      async () => {
        maxUnavailable = Math.max(maxUnavailable, unavailable(await podsOf(s, id)));
        await expectExactAllocation(s, pool, [{ id, cpu: 1 }]);
        return Object.values(await hostStates(s)).every((h) => h === "DOWN");
      },
      { stepMs: 100, maxSteps: 1_000 },
    );
    const down = await podsOf(s, id);
    expect(down.every((p) => p.state === "PENDING" && p.host === "")).toBe(true);
    expect(maxUnavailable).toBe(6);
    for (const p of before) await expectKilledForMaintenance(s, p.name, p.podId, p.host);
    await expectExactAllocation(s, pool, [{ id, cpu: 1 }]);

    await s.host.completeMaintenance({ hostnames: all });
    expect(Object.values(await hostStates(s)).every((h) => h === "UP")).toBe(true);
    await settle(s, async () => running(await podsOf(s, id)) === 6);
    const back = await podsOf(s, id);
    expect(new Set(back.map((p) => p.host)).size).toBeGreaterThan(0);
    expect(back.every((p) => all.includes(p.host))).toBe(true);
    await expectExactAllocation(s, pool, [{ id, cpu: 1 }]);
  });

  it("does not let a stopped job, a force-deleted job or a user-stopped instance hold a drain up", async () => {
    const s = await start(2);
    const pool = await createPool(s, "svc", 40, 16_384);
    const drainHeldBy = async (id: string) => {
      const host = (await podsOf(s, id)).find((p) => p.state === "RUNNING")!.host;
      await s.host.startMaintenance({ hostnames: [host] });
      await elapse(s, 5_000);
      expect((await hostStates(s))[host]).toBe("DRAINING");
      return host;
    };
    const downThenBack = async (host: string) => {
      await settle(s, async () => (await hostStates(s))[host] === "DOWN");
      await s.host.completeMaintenance({ hostnames: [host] });
    };

    const stopped = await heldJob(s, pool);
    let host = await drainHeldBy(stopped);
    await s.job.stopJob({ jobId: { value: stopped } });
    await downThenBack(host);
    expect(running(await podsOf(s, stopped))).toBe(0);

    const deleted = await heldJob(s, pool);
    host = await drainHeldBy(deleted);
    await s.job.deleteJob({ jobId: { value: deleted }, force: true });
    await downThenBack(host);

    // The waiting instance is what spends the budget; once the user stops it, it no longer counts.
    const third = await heldJob(s, pool);
    host = await drainHeldBy(third);
    const waiting = (await podsOf(s, third)).find((p) => p.state === "PENDING")!;
    const mine = (await podsOf(s, third)).find((p) => p.host === host)!;
    await s.pod.stopPod({ podName: { value: waiting.name } });
    await settle(s, async () => (await hostStates(s))[host] === "DOWN");
    await expectKilledForMaintenance(s, mine.name, mine.podId, host);
    await expectExactAllocation(s, pool, [
      { id: stopped, cpu: 12 },
      { id: third, cpu: 12 },
    ]);
  });
});
