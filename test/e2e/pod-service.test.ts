import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PodSummary } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import {
  ContainerState,
  PodState,
  TerminationStatus_Reason,
} from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { failure } from "../support/grpc-errors.js";
import { jobGone } from "../support/read-jobs.js";
import { countIn } from "../support/read-pods.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

/**
 * Each test makes the jobs and runs it looks at; the suite shares only the server, the pools and
 * one job that never leaves PENDING (which no test changes).
 */
describe("PodService, ListPods and QueryPods on the simulated fleet", () => {
  let s: TestServer;
  let pool: string;
  let tinyPool: string;
  /** A job whose pod asks for more than its pool may ever give: it stays PENDING. */
  let stuckId: string;

  const name = (job: string, instance: number) => ({ value: `${job}-${instance}` });
  const runOf = (job: string, instance: number, run: number) => `${job}-${instance}-${run}`;
  const getPod = async (job: string, instance: number, statusOnly = false) =>
    s.pod.getPod({ podName: name(job, instance), statusOnly });
  const current = async (job: string, instance: number) =>
    (await getPod(job, instance, true)).current!.status!;

  const createJob = async (
    respool: string,
    instances: number,
    resource: { cpuLimit: number; memLimitMb: number },
  ) =>
    (
      await s.job.createJob({
        spec: {
          name: "pods",
          instanceCount: instances,
          respoolId: { value: respool },
          defaultSpec: {
            killGracePeriodSeconds: 1,
            containers: [
              {
                name: "main",
                command: { value: "sleep 100000" },
                resource,
                ports: [{ name: "http", envName: "PORT_HTTP" }],
              },
            ],
          },
        },
      })
    ).jobId!.value;

  /** A job of `instances` pods of 1 cpu running `sleep 100000`, once all of them run. */
  const runningJob = async (instances: number) => {
    const id = await createJob(pool, instances, { cpuLimit: 1, memLimitMb: 128 });
    await settle(s, async () => (await countIn(s, id, "RUNNING")) === instances);
    return id;
  };

  /** StopPod on instance 0 of `job` (its run 1 ends KILLED), then StartPod: run 2 RUNNING. */
  const stopAndStart = async (job: string) => {
    await s.pod.stopPod({ podName: name(job, 0) });
    await settle(s, async () => (await current(job, 0)).state === PodState.POD_STATE_KILLED);
    await s.pod.startPod({ podName: name(job, 0) });
    await settle(s, async () => {
      const st = await current(job, 0);
      return st.podId?.value === runOf(job, 0, 2) && st.state === PodState.POD_STATE_RUNNING;
    });
  };

  /** RestartPod on instance 0 of `job`, whose current run is `run`: run + 1 RUNNING. */
  const restart = async (job: string, run: number) => {
    await s.pod.restartPod({ podName: name(job, 0) });
    await settle(s, async () => {
      const st = await current(job, 0);
      return st.podId?.value === runOf(job, 0, run + 1) && st.state === PodState.POD_STATE_RUNNING;
    });
  };

  /** Instance 0 of a new running job through three runs: stopped, started, restarted. */
  const threeRuns = async (instances: number) => {
    const id = await runningJob(instances);
    await stopAndStart(id);
    await restart(id, 2);
    return id;
  };

  const listPods = async (req: { jobId?: { value: string }; range?: { from: number; to: number } }) => {
    const messages: PodSummary[][] = [];
    for await (const m of s.job.listPods(req)) messages.push(m.pods);
    return messages;
  };

  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "4" });
    const createPool = async (name: string, cpu: number, memory: number) =>
      (
        await s.respool.createResourcePool({
          spec: {
            name,
            parent: { value: "root" },
            resources: [
              { kind: "cpu", reservation: cpu, limit: cpu, share: 1 },
              { kind: "memory", reservation: memory, limit: memory, share: 1 },
            ],
          },
        })
      ).respoolId!.value;
    // Room for every test's jobs at once, whatever order they run in.
    pool = await createPool("pods", 32, 8192);
    tinyPool = await createPool("tiny", 1, 512);
    stuckId = await createJob(tinyPool, 1, { cpuLimit: 2, memLimitMb: 64 });
    await settle(s, async () => {
      const st = await current(stuckId, 0);
      return st.state === PodState.POD_STATE_PENDING && st.message.startsWith("waiting for admission");
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("GetPod returns the running first run with its host, agent, ports and spec", async () => {
    const id = await runningJob(1);
    const { current: info, previous } = await getPod(id, 0);
    const st = info!.status!;
    expect(st).toMatchObject({
      state: PodState.POD_STATE_RUNNING,
      desiredState: PodState.POD_STATE_RUNNING,
      podId: { value: runOf(id, 0, 1) },
      desiredPodId: { value: runOf(id, 0, 1) },
      version: { value: "1-1-1" },
      desiredVersion: { value: "1-1-1" },
      resourceUsage: { cpu: 1, memory: 128, disk: 0, gpu: 0 },
    });
    expect(st.host).toMatch(/^host-000\d$/);
    expect(st.agentId?.value).toBeTruthy();
    expect(st.prevPodId).toBeUndefined();
    expect(Date.parse(st.startTime)).toBeGreaterThan(0);
    expect(st.containersStatus).toHaveLength(1);
    const c = st.containersStatus[0]!;
    expect(c.name).toBe("main");
    expect(c.state).toBe(ContainerState.CONTAINER_STATE_RUNNING);
    expect(c.ports.http).toBeGreaterThanOrEqual(31000);
    expect(info!.spec?.podName?.value).toBe(`${id}-0`);
    expect(info!.spec?.containers.map((x) => x.name)).toEqual(["main"]);
    expect(info!.spec?.killGracePeriodSeconds).toBe(1);
    expect(previous).toEqual([]);
    expect((await getPod(id, 0, true)).current!.spec).toBeUndefined();
  });

  it("StopPod kills the run on request; StartPod starts run 2 after it", async () => {
    const id = await runningJob(1);
    expect(await s.pod.stopPod({ podName: name(id, 0) })).toEqual({});
    await settle(s, async () => (await current(id, 0)).state === PodState.POD_STATE_KILLED);
    const stopped = await current(id, 0);
    expect(stopped).toMatchObject({
      podId: { value: runOf(id, 0, 1) },
      desiredState: PodState.POD_STATE_KILLED,
      resourceUsage: {},
    });
    expect(stopped.desiredPodId).toBeUndefined();
    expect(Date.parse(stopped.completionTime)).toBeGreaterThan(0);
    expect(stopped.containersStatus[0]).toMatchObject({
      state: ContainerState.CONTAINER_STATE_KILLED,
      terminationStatus: { reason: TerminationStatus_Reason.TERMINATION_STATUS_REASON_KILLED_ON_REQUEST },
    });

    await s.pod.startPod({ podName: name(id, 0) });
    await settle(s, async () => (await current(id, 0)).state === PodState.POD_STATE_RUNNING);
    const { current: info, previous } = await getPod(id, 0);
    expect(info!.status).toMatchObject({
      podId: { value: runOf(id, 0, 2) },
      prevPodId: { value: runOf(id, 0, 1) },
      desiredPodId: { value: runOf(id, 0, 2) },
    });
    expect(previous).toHaveLength(1);
    expect(previous[0]!.status).toMatchObject({
      state: PodState.POD_STATE_KILLED,
      podId: { value: runOf(id, 0, 1) },
      desiredState: PodState.POD_STATE_KILLED,
    });
    expect(previous[0]!.status!.host).toMatch(/^host-/);
    expect(Date.parse(previous[0]!.status!.startTime)).toBeGreaterThan(0);
    expect(Date.parse(previous[0]!.status!.completionTime)).toBeGreaterThan(0);
    expect(previous[0]!.spec?.containers.map((x) => x.name)).toEqual(["main"]);
  });

  it("RestartPod replaces the run with run 3; GetPod lists earlier runs newest first", async () => {
    const id = await runningJob(1);
    await stopAndStart(id);
    await restart(id, 2);
    const { current: info, previous } = await getPod(id, 0, true);
    expect(info!.status!.prevPodId?.value).toBe(runOf(id, 0, 2));
    expect(previous.map((p) => p.status!.podId!.value)).toEqual([runOf(id, 0, 2), runOf(id, 0, 1)]);
    expect(previous.every((p) => p.spec === undefined)).toBe(true);
  });

  it("GetPodEvents returns the latest run's events, or a given run's", async () => {
    const id = await threeRuns(1);
    const latest = (await s.pod.getPodEvents({ podName: name(id, 0) })).events;
    expect(latest.length).toBeGreaterThan(1);
    expect(new Set(latest.map((e) => e.podId?.value))).toEqual(new Set([runOf(id, 0, 3)]));
    expect(latest.map((e) => e.actualState)).toContain("POD_STATE_PENDING");
    expect(latest.at(-1)).toMatchObject({
      actualState: "POD_STATE_RUNNING",
      desiredState: "POD_STATE_RUNNING",
      prevPodId: { value: runOf(id, 0, 2) },
      version: { value: "1-1-1" },
      healthy: "HEALTH_STATE_DISABLED",
    });
    expect(latest.at(-1)!.hostname).toMatch(/^host-/);
    expect(Date.parse(latest.at(-1)!.timestamp)).toBeGreaterThan(0);

    const first = (await s.pod.getPodEvents({ podName: name(id, 0), podId: { value: runOf(id, 0, 1) } }))
      .events;
    expect(new Set(first.map((e) => e.podId?.value))).toEqual(new Set([runOf(id, 0, 1)]));
    expect(first.map((e) => e.actualState)).toEqual(
      expect.arrayContaining(["POD_STATE_RUNNING", "POD_STATE_KILLING", "POD_STATE_KILLED"]),
    );
    expect(first.at(-1)?.actualState).toBe("POD_STATE_KILLED");

    expect(
      await failure(s.pod.getPodEvents({ podName: name(id, 0), podId: { value: runOf(id, 1, 1) } })),
    ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["pod_id.value"] });
    expect(
      await failure(s.pod.getPodEvents({ podName: name(id, 0), podId: { value: "not-a-pod-id" } })),
    ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["pod_id.value"] });
    expect(
      await failure(s.pod.getPodEvents({ podName: name(id, 0), podId: { value: runOf(id, 0, 9) } })),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("BrowsePodSandbox lists a run's sandbox, and refuses a pod that never ran", async () => {
    const id = await runningJob(2);
    await stopAndStart(id);
    const host = (await current(id, 1)).host;
    const box = await s.pod.browsePodSandbox({ podName: name(id, 1) });
    expect(box.hostname).toBe(host);
    expect(box.port).toBe("5051");
    expect(box.mesosMasterPort).toBe("5050");
    expect(box.mesosMasterHostname).not.toBe("");
    expect(box.paths.length).toBeGreaterThan(0);
    expect(box.paths.every((p) => p.includes(runOf(id, 1, 1)))).toBe(true);
    expect(box.paths.some((p) => p.endsWith("/stdout"))).toBe(true);

    const old = await s.pod.browsePodSandbox({ podName: name(id, 0), podId: { value: runOf(id, 0, 1) } });
    expect(old.paths.every((p) => p.includes(runOf(id, 0, 1)))).toBe(true);

    expect(await failure(s.pod.browsePodSandbox({ podName: name(stuckId, 0) }))).toMatchObject({
      code: "ABORTED",
      details: "pod has not run yet",
    });
  });

  it("RefreshPod looks at the pod again; GetPodCache shows the engine's view of it", async () => {
    const id = await runningJob(1);
    expect(await s.pod.refreshPod({ podName: name(id, 0) })).toEqual({});
    await s.app.engine.idle();
    const cached = (await s.pod.getPodCache({ podName: name(id, 0) })).status!;
    const stored = await current(id, 0);
    expect(cached).toEqual(stored);
    expect(cached.state).toBe(PodState.POD_STATE_RUNNING);

    const pending = (await s.pod.getPodCache({ podName: name(stuckId, 0) })).status!;
    expect(pending).toMatchObject({ state: PodState.POD_STATE_PENDING, host: "", resourceUsage: {} });
    expect(pending.agentId).toBeUndefined();
  });

  it("DeletePodEvents removes one run's events, or all of them", async () => {
    const id = await threeRuns(1);
    await s.pod.deletePodEvents({ podName: name(id, 0), podId: { value: runOf(id, 0, 1) } });
    expect(
      (await s.pod.getPodEvents({ podName: name(id, 0), podId: { value: runOf(id, 0, 1) } })).events,
    ).toEqual([]);
    expect((await getPod(id, 0, true)).previous.map((p) => p.status!.podId!.value)).toEqual([
      runOf(id, 0, 2),
    ]);
    expect((await s.pod.getPodEvents({ podName: name(id, 0) })).events.length).toBeGreaterThan(0);

    await s.pod.deletePodEvents({ podName: name(id, 0) });
    expect((await s.pod.getPodEvents({ podName: name(id, 0) })).events).toEqual([]);
    expect((await getPod(id, 0, true)).previous).toEqual([]);
    expect(
      await failure(s.pod.deletePodEvents({ podName: name(id, 0), podId: { value: runOf(id, 2, 1) } })),
    ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["pod_id.value"] });
  });

  it("refuses malformed pod names and does not find unknown pods", async () => {
    const id = await createJob(pool, 3, { cpuLimit: 1, memLimitMb: 128 });
    for (const call of [
      () => s.pod.getPod({ podName: { value: "nope" } }),
      () => s.pod.startPod({ podName: { value: `${id}` } }),
      () => s.pod.getPodEvents({ podName: { value: `${id}-x` } }),
      () => s.pod.stopPod({}),
    ]) {
      expect(await failure(call())).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["pod_name.value"] });
    }
    const unknownJob = randomUUID();
    for (const call of [
      () => s.pod.getPod({ podName: { value: `${unknownJob}-0` } }),
      () => s.pod.getPod({ podName: name(id, 3) }),
      () => s.pod.startPod({ podName: { value: `${unknownJob}-0` } }),
      () => s.pod.stopPod({ podName: name(id, 7) }),
      () => s.pod.restartPod({ podName: name(id, 7) }),
      () => s.pod.refreshPod({ podName: name(id, 7) }),
      () => s.pod.getPodCache({ podName: name(id, 7) }),
      () => s.pod.getPodEvents({ podName: name(id, 7) }),
      () => s.pod.browsePodSandbox({ podName: { value: `${unknownJob}-0` } }),
      () => s.pod.deletePodEvents({ podName: name(id, 7) }),
    ]) {
      expect(await failure(call())).toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("ListPods streams every pod of a job, honouring a half-open range", async () => {
    const id = await runningJob(3);
    await restart(id, 1);
    const all = await listPods({ jobId: { value: id } });
    expect(all).toHaveLength(1);
    expect(all[0]!.map((p) => p.podName?.value)).toEqual([0, 1, 2].map((i) => `${id}-${i}`));
    expect(all[0]!.every((p) => p.status?.state === PodState.POD_STATE_RUNNING)).toBe(true);
    // The status of the current run.
    expect(all[0]![0]!.status!.podId?.value).toBe(runOf(id, 0, 2));

    const some = (await listPods({ jobId: { value: id }, range: { from: 1, to: 2 } })).flat();
    expect(some.map((p) => p.podName?.value)).toEqual([`${id}-1`]);
    const tail = (await listPods({ jobId: { value: id }, range: { from: 1, to: 0 } })).flat();
    expect(tail.map((p) => p.podName?.value)).toEqual([`${id}-1`, `${id}-2`]);
    expect((await listPods({ jobId: { value: id }, range: { from: 2, to: 2 } })).flat()).toEqual([]);
    const wide = await listPods({ jobId: { value: id }, range: { from: 0, to: 2_000_000_000 } });
    expect(wide.flat().map((p) => p.podName?.value)).toEqual([0, 1, 2].map((i) => `${id}-${i}`));

    expect(await failure(listPods({ jobId: { value: id }, range: { from: 3, to: 1 } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["range"],
    });
    expect(await failure(listPods({ jobId: { value: randomUUID() } }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(listPods({}))).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["job_id"] });
  });

  it("ListPods sends at most 1000 pods per message", async () => {
    const big = await createJob(tinyPool, 1001, { cpuLimit: 2, memLimitMb: 64 });
    await settle(s, async () => (await listPods({ jobId: { value: big } })).flat().length === 1001);
    const messages = await listPods({ jobId: { value: big } });
    expect(messages.map((m) => m.length)).toEqual([1000, 1]);
    expect(messages[1]![0]!.podName?.value).toBe(`${big}-1000`);
    expect(messages[0]![0]!.status?.state).toBe(PodState.POD_STATE_PENDING);
    await s.job.stopJob({ jobId: { value: big } });
    await s.job.deleteJob({ jobId: { value: big }, force: true });
    await settle(s, () => jobGone(s, big));
  });

  it("QueryPods filters by state, name and host, pages, and leaves specs out on request", async () => {
    const jobId = await runningJob(3);
    await s.pod.stopPod({ podName: name(jobId, 2) });
    await settle(s, async () => (await current(jobId, 2)).state === PodState.POD_STATE_KILLED);
    const query = (req: Parameters<typeof s.job.queryPods>[0]) =>
      s.job.queryPods({ jobId: { value: jobId }, ...req });
    const names = (r: Awaited<ReturnType<typeof query>>) => r.pods.map((p) => p.spec?.podName?.value);
    const statusNames = (r: Awaited<ReturnType<typeof query>>) =>
      r.pods.map((p) => p.status?.podId?.value.replace(/-\d+$/, ""));

    const every = await query({});
    expect(every.pagination).toEqual({ offset: 0, limit: 100, total: 3 });
    expect(names(every)).toEqual([0, 1, 2].map((i) => `${jobId}-${i}`));
    expect(every.pods[0]!.spec?.containers.map((c) => c.name)).toEqual(["main"]);

    const running = await query({ spec: { podStates: [PodState.POD_STATE_RUNNING] } });
    expect(statusNames(running)).toEqual([`${jobId}-0`, `${jobId}-1`]);
    expect(running.pagination?.total).toBe(2);
    const killed = await query({ spec: { podStates: [PodState.POD_STATE_KILLED] }, summaryOnly: true });
    expect(killed.pods).toHaveLength(1);
    expect(killed.pods[0]!.spec).toBeUndefined();
    expect(killed.pods[0]!.status?.podId?.value).toBe(runOf(jobId, 2, 1));

    const byName = await query({ spec: { names: [name(jobId, 1), name(jobId, 2)] } });
    expect(names(byName)).toEqual([`${jobId}-1`, `${jobId}-2`]);

    const host1 = (await current(jobId, 1)).host;
    const onHost = await query({ spec: { hosts: [host1] }, summaryOnly: true });
    expect(onHost.pods.length).toBeGreaterThan(0);
    expect(onHost.pods.every((p) => p.status?.host === host1)).toBe(true);
    expect(statusNames(onHost)).toContain(`${jobId}-1`);
    expect(onHost.pagination?.total).toBe(onHost.pods.length);

    const page = await query({ pagination: { offset: 1, limit: 1, orderBy: [], maxLimit: 0 } });
    expect(page.pagination).toEqual({ offset: 1, limit: 1, total: 3 });
    expect(names(page)).toEqual([`${jobId}-1`]);
    const specPage = await query({
      spec: { pagination: { offset: 2, limit: 5000, orderBy: [], maxLimit: 0 } },
    });
    expect(specPage.pagination).toEqual({ offset: 2, limit: 1000, total: 3 });
    expect(names(specPage)).toEqual([`${jobId}-2`]);

    expect(await failure(query({ spec: { podStates: [PodState.POD_STATE_INVALID] } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec.pod_states[0]"],
    });
    expect(
      await failure(query({ spec: { podStates: [PodState.POD_STATE_RUNNING, 99 as PodState] } })),
    ).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec.pod_states[1]"],
    });
    expect(await failure(query({ spec: { names: [name(jobId, 0), name(stuckId, 0)] } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec.names[1].value"],
    });
    expect(await failure(query({ spec: { names: [{ value: "x" }] } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec.names[0].value"],
    });
    expect(await failure(s.job.queryPods({ jobId: { value: randomUUID() } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.job.queryPods({}))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["job_id"],
    });
  });
});
