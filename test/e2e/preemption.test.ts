import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPool } from "../support/jobs.js";
import { countIn, podsOf } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

/** One host of 16 cpu shared by two pools that each reserve 8 cpu; a server of its own for each test. */
describe("preemption", () => {
  let s: TestServer;
  const pools: Record<string, string> = {};
  beforeEach(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "1" });
    for (const name of ["a", "b"]) pools[name] = await createPool(s, name, 8, 8192);
  });
  afterEach(async () => {
    await s?.stop();
  });

  const job = async (pool: string, instances: number, preemptible: boolean, killOnPreempt = false) =>
    (
      await s.job.createJob({
        spec: {
          name: `j-${pool}`,
          instanceCount: instances,
          respoolId: { value: pools[pool] },
          sla: { preemptible, priority: 0 },
          defaultSpec: {
            containers: [
              { name: "c", command: { value: "sleep 100000" }, resource: { cpuLimit: 1, memLimitMb: 64 } },
            ],
            preemptionPolicy: { killOnPreempt },
          },
        },
      })
    ).jobId!.value;
  const running = (id: string) => countIn(s, id, "RUNNING");

  it("takes back lent capacity from preemptible pods when the lender's pool needs its reservation", async () => {
    const borrower = await job("a", 12, true);
    await settle(s, async () => (await running(borrower)) === 12);
    const owner = await job("b", 8, false);
    await settle(s, async () => (await running(owner)) === 8, { stepMs: 250 });
    await settle(s, async () => (await running(borrower)) === 8);
    const pods = await podsOf(s, borrower);
    const preempted = pods.filter((p) => p.state !== "RUNNING");
    expect(preempted).toHaveLength(4);
    // They come back as new runs, waiting for admission, with no failure counted.
    for (const p of preempted) {
      expect(p.runId).toBe(2);
      expect(p.state).toBe("PENDING");
      expect(p.failureCount).toBe(0);
    }
    const events = await s.pod.getPodEvents({
      podName: { value: `${borrower}-${preempted[0]!.instance}` },
      podId: { value: `${borrower}-${preempted[0]!.instance}-1` },
    });
    expect(events.events.map((e) => e.actualState)).toContain("POD_STATE_PREEMPTING");
    // The pools end at their entitlements.
    const usage = async (pool: string) =>
      (await s.respool.getResourcePool({ respoolId: { value: pools[pool] } })).respool?.usages.find(
        (u) => u.kind === "cpu",
      )?.allocation;
    expect(await usage("a")).toBe(8);
    expect(await usage("b")).toBe(8);
  });

  it("leaves preempted pods KILLED when their spec says kill_on_preempt", async () => {
    const borrower = await job("a", 12, true, true);
    await settle(s, async () => (await running(borrower)) === 12);
    const owner = await job("b", 8, false);
    await settle(s, async () => (await running(owner)) === 8, { stepMs: 250 });
    const gone = (await podsOf(s, borrower)).filter((p) => p.state !== "RUNNING");
    expect(gone).toHaveLength(4);
    expect(gone.every((p) => p.state === "KILLED" && p.goal === "KILLED" && p.runId === 1)).toBe(true);
  });
});
