import { prometheusServerMiddleware } from "nice-grpc-prometheus";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Readiness } from "../readiness.js";
import { PromEngineMetrics } from "./prom-engine-metrics.js";

const GRPC_LABELS = ["grpc_type", "grpc_service", "grpc_method", "grpc_path"] as const;
const GRPC_LABELS_WITH_CODE = [...GRPC_LABELS, "grpc_code"] as const;

/**
 * The server's metrics, in a registry of its own (so that servers in one process, as in the
 * tests, do not share counters): Node and process defaults, gRPC calls by service, method and
 * code with latency histograms (nice-grpc-prometheus's names), readiness, and the engine's.
 */
export function createAppMetrics(readiness: Readiness) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const grpcMiddleware = prometheusServerMiddleware({
    serverStartedMetric: new Counter({
      name: "grpc_server_started_total",
      help: "RPCs started on the server.",
      labelNames: GRPC_LABELS,
      registers,
    }),
    serverHandledMetric: new Counter({
      name: "grpc_server_handled_total",
      help: "RPCs completed on the server, by status code.",
      labelNames: GRPC_LABELS_WITH_CODE,
      registers,
    }),
    serverStreamMsgReceivedMetric: new Counter({
      name: "grpc_server_msg_received_total",
      help: "Stream messages the server received.",
      labelNames: GRPC_LABELS,
      registers,
    }),
    serverStreamMsgSentMetric: new Counter({
      name: "grpc_server_msg_sent_total",
      help: "Stream messages the server sent.",
      labelNames: GRPC_LABELS,
      registers,
    }),
    serverHandlingSecondsMetric: new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Time the server took to handle an RPC, by status code.",
      labelNames: GRPC_LABELS_WITH_CODE,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  });
  new Gauge({
    name: "peloton_ready",
    help: "1 while the server can do its work (gRPC health SERVING, /readyz 200), else 0.",
    registers,
    collect() {
      this.set(readiness.ready ? 1 : 0);
    },
  });
  new Gauge({
    name: "peloton_database_up",
    help: "1 while the database answers the server's probe, else 0.",
    registers,
    collect() {
      this.set(readiness.report().conditions.database?.ok === false ? 0 : 1);
    },
  });
  return { registry, grpcMiddleware, engine: new PromEngineMetrics(registry) };
}

export type AppMetrics = ReturnType<typeof createAppMetrics>;
