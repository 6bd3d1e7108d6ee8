import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import { PodState } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { createPool, createSleepJob } from "../support/jobs.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";
import { CLI_TEST_TIMEOUT, ok, peloton } from "./support/run-peloton.js";

describe("peloton pod, host and volume against a real server", CLI_TEST_TIMEOUT, () => {
  let s: TestServer;
  let jobId: string;
  const cli = (...args: string[]) => peloton(s.address, args);
  const pod = (i: number) => `${jobId}-${i}`;
  const status = async (i: number) =>
    (await s.pod.getPod({ podName: { value: pod(i) }, statusOnly: true })).current!.status!;

  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "10" });
    const pool = await createPool(s, "pods", 8, 4096);
    jobId = await createSleepJob(s, pool, 2, { volume: { containerPath: "/data", sizeMb: 64 } });
    await settle(
      s,
      async () =>
        (await status(0)).state === PodState.POD_STATE_RUNNING &&
        (await status(1)).state === PodState.POD_STATE_RUNNING,
    );
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("shows a pod, its events, its sandbox and its cached status", async () => {
    const [got, statusJson, events, eventsJson, logs, stdout, nothing, cache] = await Promise.all([
      ok(cli("pod", "get", pod(0))),
      ok(cli("-j", "pod", "get", pod(0), "--statusonly", "--currentonly")),
      ok(cli("pod", "events", pod(0))),
      ok(cli("-j", "pod", "events", pod(0), "--id", `${pod(0)}-1`)),
      ok(cli("pod", "logs", pod(0))),
      ok(cli("pod", "logs", pod(0), "--filename", "stdout")),
      cli("pod", "logs", pod(0), "-f", "core"),
      ok(cli("pod", "cache", pod(0))),
    ]);
    const info = parse(got).current;
    expect(info.spec.containers[0].command.value).toBe("sleep 100000");
    expect(info.status).toMatchObject({ state: "POD_STATE_RUNNING", pod_id: { value: `${pod(0)}-1` } });
    const current = JSON.parse(statusJson).current;
    expect(current.spec).toBeUndefined();
    expect(current.status.state).toBe("POD_STATE_RUNNING");
    const rows = events.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^TIME +RUN +STATE +GOAL +HOST +HEALTHY +MESSAGE$/);
    expect(rows.at(-1)).toMatch(/^\S+ +1 +RUNNING +RUNNING +host-\d{4} /);
    expect(JSON.parse(eventsJson).events.at(-1).actualState).toBe("POD_STATE_RUNNING");
    expect(logs).toMatch(/^Sandbox on host-\d{4} \(agent port \d+; master .+:5050\):\n\/.+\/stdout\n/);
    expect(stdout.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^Sandbox on/),
      expect.stringMatching(/\/stdout$/),
    ]);
    expect(nothing.code).toBe(11);
    expect(nothing.stderr).toBe(`peloton: the sandbox of ${pod(0)} has no file named "core"\n`);
    expect(parse(cache).status.state).toBe("POD_STATE_RUNNING");
  });

  it("restarts, stops, starts and refreshes a pod", async () => {
    expect(await ok(cli("pod", "restart", pod(1)))).toBe(`Pod ${pod(1)} restarting\n`);
    await settle(
      s,
      async () =>
        (await status(1)).podId?.value === `${pod(1)}-2` &&
        (await status(1)).state === PodState.POD_STATE_RUNNING,
    );
    expect(JSON.parse(await ok(cli("-j", "pod", "stop", pod(1))))).toEqual({});
    await settle(s, async () => (await status(1)).state === PodState.POD_STATE_KILLED);
    expect(await ok(cli("pod", "start", pod(1)))).toBe(`Pod ${pod(1)} starting\n`);
    await settle(s, async () => (await status(1)).state === PodState.POD_STATE_RUNNING);
    expect(await ok(cli("pod", "refresh", pod(1)))).toBe(`Pod ${pod(1)} refreshed\n`);
    const [unknown, malformed] = await Promise.all([
      cli("pod", "get", `${jobId}-9`),
      cli("pod", "get", "no-such-pod"),
    ]);
    expect(unknown.code).toBe(11);
    expect(unknown.stderr).toMatch(/^peloton: NOT_FOUND: /);
    expect(malformed.code).toBe(10);
    expect(malformed.stderr).toMatch(/^peloton: INVALID_ARGUMENT: pod_name\.value/);
  });

  it("queries hosts and takes one through maintenance", async () => {
    const [all, down, unknown] = await Promise.all([
      ok(cli("host", "query")),
      ok(cli("host", "query", "--states", "down")),
      cli("host", "maintenance", "start", "host-9999"),
    ]);
    const rows = all.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^HOST +IP +STATE$/);
    expect(rows).toHaveLength(11);
    expect(rows[1]).toMatch(/^host-0000 +\d+\.\d+\.\d+\.\d+ +UP$/);
    expect(down).toBe("No hosts.\n");
    expect(unknown.code).toBe(11);
    expect(unknown.stderr).toMatch(/^peloton: NOT_FOUND: .*host-9999/);

    const hostOf = (await status(0)).host;
    const idle = (await s.host.queryHosts({})).hostInfos
      .map((h) => h.hostname)
      .find((h) => h !== hostOf && h !== "host-0009");
    expect(await ok(cli("host", "maintenance", "start", `${idle},host-0009`))).toBe(
      `Maintenance started on ${idle}, host-0009\n`,
    );
    const isDown = async () =>
      (await s.host.queryHosts({ hostStates: [HostState.HOST_STATE_DOWN] })).hostInfos
        .map((h) => h.hostname)
        .sort();
    await settle(s, async () => (await isDown()).length === 2);
    const json = JSON.parse(await ok(cli("-j", "host", "query", "-s", "down,draining")));
    expect(
      json.hostInfos.map((h: { hostname: string; state: string }) => `${h.hostname} ${h.state}`).sort(),
    ).toEqual([`${idle} HOST_STATE_DOWN`, "host-0009 HOST_STATE_DOWN"].sort());
    expect(await ok(cli("host", "maintenance", "complete", "host-0009", idle!))).toBe(
      `Maintenance completed on host-0009, ${idle}\n`,
    );
    expect(await isDown()).toEqual([]);
  });

  it("lists, shows and deletes volumes; a volume whose pod runs is kept (exit 12)", async () => {
    const list = await ok(cli("volume", "list", jobId));
    const rows = list.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^VOLUME +POD +HOST +STATE +SIZE_MB +PATH$/);
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^[0-9a-f-]{36} +${pod(0)} +host-\\d{4} +CREATED +64 +/data$`)),
      expect.stringMatching(new RegExp(`^[0-9a-f-]{36} +${pod(1)} +host-\\d{4} +CREATED +64 +/data$`)),
    ]);
    const volumes = JSON.parse(await ok(cli("-j", "volume", "list", jobId))).volumes;
    const [id, volume] = Object.entries(volumes).find(
      ([, v]) => (v as { podName: { value: string } }).podName.value === pod(0),
    )!;
    expect(parse(await ok(cli("volume", "get", id))).result).toMatchObject({
      volume_id: { value: id },
      size_mb: 64,
    });
    expect((volume as { containerPath: string }).containerPath).toBe("/data");
    const busy = await cli("volume", "delete", id);
    expect(busy.code).toBe(12);
    expect(busy.stderr).toMatch(/^peloton: FAILED_PRECONDITION: /);
    await s.pod.stopPod({ podName: { value: pod(0) } });
    await settle(s, async () => (await status(0)).state === PodState.POD_STATE_KILLED);
    expect(await ok(cli("volume", "delete", id))).toBe(`Volume ${id} deleted\n`);
    expect(parse(await ok(cli("volume", "get", id))).result.state).toBe("VOLUME_STATE_DELETED");
  });
});
