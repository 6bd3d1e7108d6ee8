import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "../support/grpc-errors.js";
import { find, parsePrometheusText, type Sample } from "../support/prometheus-text.js";
import { startTestServer, type TestServer } from "../support/server.js";

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

  it("serves the engine's metrics as the engine reports them", async () => {
    const e = s.app.metrics.engine;
    e.tick({ durationMs: 120, commitMs: 80, rows: 2500, commands: 3, observations: 40, dueKeys: 7 });
    e.tick({ durationMs: 10, commitMs: 5, rows: 10, commands: 0, observations: 2, dueKeys: 1 });
    e.queueDepth(12);
    e.pendingPods(5);
    e.action("pod", "launch");
    e.action("pod", "launch");
    e.action("job", "create-pods");
    e.actionError("host", "drain");
    e.commitFailed();
    e.podsByState({ POD_STATE_RUNNING: 3, POD_STATE_PENDING: 1 });
    e.podsByState({ POD_STATE_RUNNING: 4 });
    e.placed(4);
    e.watchers(2);
    const m = await scrape();
    expect(find(m, "peloton_engine_tick_duration_seconds_count")[0]?.value).toBe(2);
    expect(find(m, "peloton_engine_tick_duration_seconds_sum")[0]?.value).toBeCloseTo(0.13);
    expect(find(m, "peloton_engine_commit_duration_seconds_sum")[0]?.value).toBeCloseTo(0.085);
    expect(find(m, "peloton_engine_commit_rows_bucket", { le: "1000" })[0]?.value).toBe(1);
    expect(find(m, "peloton_engine_commit_rows_sum")[0]?.value).toBe(2510);
    expect(find(m, "peloton_engine_commands_total")[0]?.value).toBe(3);
    expect(find(m, "peloton_engine_observations_total")[0]?.value).toBe(42);
    expect(find(m, "peloton_engine_due_keys_total")[0]?.value).toBe(8);
    expect(find(m, "peloton_engine_queue_depth")[0]?.value).toBe(12);
    expect(find(m, "peloton_engine_pending_pods")[0]?.value).toBe(5);
    expect(find(m, "peloton_engine_actions_total", { kind: "pod", action: "launch" })[0]?.value).toBe(2);
    expect(find(m, "peloton_engine_actions_total", { kind: "job", action: "create-pods" })[0]?.value).toBe(1);
    expect(find(m, "peloton_engine_action_errors_total", { kind: "host", action: "drain" })[0]?.value).toBe(
      1,
    );
    expect(find(m, "peloton_engine_commit_failures_total")[0]?.value).toBe(1);
    expect(find(m, "peloton_pods", { state: "POD_STATE_RUNNING" })[0]?.value).toBe(4);
    expect(find(m, "peloton_pods", { state: "POD_STATE_PENDING" })[0]?.value).toBe(0);
    expect(find(m, "peloton_engine_pods_placed_total")[0]?.value).toBe(4);
    expect(find(m, "peloton_watchers")[0]?.value).toBe(2);
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
