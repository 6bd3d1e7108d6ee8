import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { formatAddress, type ListenAddress } from "../listen-address.js";
import type { Readiness } from "../readiness.js";

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The operator's HTTP port: `GET /metrics` (Prometheus text format), `/healthz` (the process
 * answers) and `/readyz` (200 while every readiness condition holds, 503 otherwise, with the
 * conditions as JSON).
 */
export async function startMetricsServer(options: {
  readonly address: ListenAddress;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly log: Logger;
}): Promise<MetricsServer> {
  const { registry, readiness, log } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (e: unknown) => {
          log.error({ err: e }, "metrics collection failed");
          res.writeHead(500, { "content-type": "text/plain" }).end("metrics collection failed\n");
        },
      );
    } else if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (path === "/readyz") {
      const report = readiness.report();
      res
        .writeHead(report.ready ? 200 : 503, { "content-type": "application/json" })
        .end(`${JSON.stringify(report)}\n`);
    } else {
      res
        .writeHead(404, { "content-type": "text/plain" })
        .end("not found: try /metrics, /healthz or /readyz\n");
    }
  });
  // grpc-js takes "[::]"; node:http takes the bare host.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.address.port, options.address.host || undefined, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ address: formatAddress({ host: options.address.host, port }) }, "metrics listening");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
