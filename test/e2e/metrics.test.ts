import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "../support/grpc-errors.js";
import { find, parsePrometheusText, type Sample } from "../support/prometheus-text.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";

const RESPOOL = "peloton.api.v1alpha.respool.ResourcePoolService";
const JOB = "peloton.api.v1alpha.job.stateless.svc.JobService";

describe("the metrics port", () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_METRICS_ADDRESS: "127.0.0.1:0" });
    base = `http://127.0.0.1:${s.app.metricsPort}`;
  });
  afterAll(() => s.stop());

  const scrape = async (): Promise<Sample[]> => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    return parsePrometheusText(await res.text());
  };

  it("serves Node and process defaults and gRPC calls by service, method and code, with latency histograms", async () => {
    await s.respool.createResourcePool({ spec: { name: "m", parent: { value: "root" } } });
    await s.respool.createResourcePool({ spec: { name: "m2", parent: { value: "root" } } });
    expect((await failure(s.respool.getResourcePool({ respoolId: { value: "nope" } }))).code).toBe(
      "NOT_FOUND",
    );
    for await (const _ of s.job.listJobs({})) {
      // drain the stream
    }
    const m = await scrape();
    for (const name of [
      "process_cpu_user_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
    ])
      expect(find(m, name).length, name).toBeGreaterThan(0);

    const created = { grpc_service: RESPOOL, grpc_method: "CreateResourcePool", grpc_type: "unary" };
    expect(find(m, "grpc_server_started_total", created)[0]?.value).toBe(2);
    expect(find(m, "grpc_server_handled_total", { ...created, grpc_code: "OK" })[0]?.value).toBe(2);
    expect(
      find(m, "grpc_server_handled_total", { grpc_method: "GetResourcePool", grpc_code: "NOT_FOUND" })[0]
        ?.value,
    ).toBe(1);
    expect(
      find(m, "grpc_server_handled_total", {
        grpc_service: JOB,
        grpc_method: "ListJobs",
        grpc_type: "server_stream",
      })[0]?.labels.grpc_code,
    ).toBe("OK");
    const buckets = find(m, "grpc_server_handling_seconds_bucket", { ...created, grpc_code: "OK" });
    expect(buckets.find((b) => b.labels.le === "+Inf")?.value).toBe(2);
    expect(find(m, "grpc_server_handling_seconds_count", { ...created, grpc_code: "OK" })[0]?.value).toBe(2);
    expect(find(m, "peloton_ready")[0]?.value).toBe(1);
    expect(find(m, "peloton_database_up")[0]?.value).toBe(1);
  });

  it("serves what the engine reports as it works", async () => {
    const pool = await s.respool.createResourcePool({
      spec: {
        name: "engine-metrics",
        parent: { value: "root" },
        resources: [
          { kind: "cpu", reservation: 2, limit: 2, share: 1 },
          { kind: "memory", reservation: 256, limit: 256, share: 1 },
        ],
      },
    });
    await s.job.createJob({
      spec: {
        name: "m",
        instanceCount: 1,
        respoolId: pool.respoolId,
        defaultSpec: {
          containers: [
            { name: "c", command: { value: "sleep 1000" }, resource: { cpuLimit: 1, memLimitMb: 64 } },
          ],
        },
      },
    });
    await settle(s, async () => {
      const m = await scrape();
      return (find(m, "peloton_pods", { state: "RUNNING" })[0]?.value ?? 0) >= 1;
    });
    const m = await scrape();
    expect(find(m, "peloton_engine_tick_duration_seconds_count")[0]?.value).toBeGreaterThan(0);
    expect(find(m, "peloton_engine_commit_rows_sum")[0]?.value).toBeGreaterThan(0);
    expect(find(m, "peloton_engine_actions_total", { kind: "pod", action: "enqueue" })[0]?.value).toBe(1);
    expect(find(m, "peloton_engine_actions_total", { kind: "pod", action: "launch" })[0]?.value).toBe(1);
    expect(find(m, "peloton_engine_pods_placed_total")[0]?.value).toBe(1);
  });

  it("answers /healthz while the process runs and /readyz by the readiness conditions", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, conditions: { database: { ok: true } } });
    s.app.readiness.set("database", false, "no answer: test");
    try {
      const notReady = await fetch(`${base}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ready: false, conditions: { database: { ok: false } } });
      expect(find(await scrape(), "peloton_database_up")[0]?.value).toBe(0);
    } finally {
      s.app.readiness.set("database", true);
    }
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });
});
