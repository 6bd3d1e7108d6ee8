import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { PromEngineMetrics } from "../../src/app/metrics/prom-engine-metrics.js";
import { find, parsePrometheusText } from "../support/prometheus-text.js";

describe("the engine's metrics on prom-client", () => {
  it("turns every report of the engine into its series", async () => {
    const registry = new Registry();
    const e = new PromEngineMetrics(registry);
    e.tick({ durationMs: 120, commitMs: 80, rows: 2500, commands: 3, observations: 40, dueKeys: 7 });
    e.tick({ durationMs: 10, commitMs: 5, rows: 10, commands: 0, observations: 2, dueKeys: 1 });
    e.queueDepth(12);
    e.pendingPods(5);
    e.action("pod", "launch", 1);
    e.action("pod", "launch", 1);
    e.action("job", "create-pods", 1);
    e.actionError("host", "drain");
    e.commitFailed();
    e.podsByState({ POD_STATE_RUNNING: 3, POD_STATE_PENDING: 1 });
    e.podsByState({ POD_STATE_RUNNING: 4 });
    e.placed(4);
    e.watchers(2);
    const m = parsePrometheusText(await registry.metrics());
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
});
