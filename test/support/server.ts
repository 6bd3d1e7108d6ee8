import { Writable } from "node:stream";
import { type Channel, createChannel, createClientFactory } from "nice-grpc";
import { errorDetailsClientMiddleware } from "nice-grpc-error-details";
import pino from "pino";
import { type RunningApp, startApp } from "../../src/app/app.js";
import { loadConfig } from "../../src/app/config.js";
import type { EngineTimings } from "../../src/engine/ports.js";
import { HostServiceDefinition } from "../../src/gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { JobServiceDefinition } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { PodServiceDefinition } from "../../src/gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { VolumeServiceDefinition } from "../../src/gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { WatchServiceDefinition } from "../../src/gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { ManualClock } from "../../src/lib/clock.js";
import type { DatabaseTarget } from "../../src/store/open-database.js";

/** A real server on 127.0.0.1:0 with an in-memory database, and clients for its services. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { database?: DatabaseTarget; clock?: ManualClock; timings?: Partial<EngineTimings> } = {},
) {
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({
    PELOTON_HOST: "127.0.0.1",
    PELOTON_PORT: "0",
    PELOTON_LOG_LEVEL: "info",
    PELOTON_METRICS_ADDRESS: "off",
    ...env,
  });
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 22, 12));
  const app: RunningApp = await startApp({
    config: { ...config, database: options.database ?? { kind: "memory" } },
    clock,
    timings: options.timings,
    log: pino({ level: "info" }, sink),
  });
  const address = `127.0.0.1:${app.port}`;
  const channel: Channel = createChannel(address);
  const factory = createClientFactory().use(errorDetailsClientMiddleware);
  return {
    app,
    address,
    clock,
    logLines,
    channel,
    job: factory.create(JobServiceDefinition, channel),
    pod: factory.create(PodServiceDefinition, channel),
    host: factory.create(HostServiceDefinition, channel),
    respool: factory.create(ResourcePoolServiceDefinition, channel),
    volume: factory.create(VolumeServiceDefinition, channel),
    watch: factory.create(WatchServiceDefinition, channel),
    async stop() {
      channel.close();
      await app.stop(2000);
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
