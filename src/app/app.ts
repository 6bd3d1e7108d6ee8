import { sql } from "kysely";
import { HealthState } from "nice-grpc-server-health";
import pino, { type Logger } from "pino";
import { hostService } from "../api/host/host-service.js";
import { jobService } from "../api/job/job-service.js";
import { podService } from "../api/pod/pod-service.js";
import { resourcePoolService } from "../api/respool/resource-pool-service.js";
import { API_SERVICE_NAMES, buildApiServer } from "../api/server.js";
import { volumeService } from "../api/volume/volume-service.js";
import type { HostSpec } from "../domain/host.js";
import { Engine } from "../engine/engine.js";
import type { EngineTimings } from "../engine/ports.js";
import { SimulatedFleet } from "../fleet/simulated-fleet.js";
import { type Clock, systemClock } from "../lib/clock.js";
import { migrateToLatest } from "../store/migrate.js";
import { type OpenDatabase, openDatabase } from "../store/open-database.js";
import { JobReads } from "../store/read/job-reads.js";
import { PodReads } from "../store/read/pod-reads.js";
import { PoolReads } from "../store/read/pool-reads.js";
import { VolumeReads } from "../store/read/volume-reads.js";
import { WorkflowReads } from "../store/read/workflow-reads.js";
import { RuntimeStore } from "../store/runtime-store.js";
import { startAuthentication } from "./auth/tokens-reloader.js";
import { type Config, grpcAddress, redactUrl } from "./config.js";
import { startDatabaseProbe } from "./db-health.js";
import { loadDescriptorSet } from "./descriptor-set.js";
import { fleetAdapter } from "./fleet-adapter.js";
import { fleetHosts } from "./fleet-hosts.js";
import { type AppMetrics, createAppMetrics } from "./metrics/app-metrics.js";
import { type MetricsServer, startMetricsServer } from "./metrics/metrics-server.js";
import { Readiness } from "./readiness.js";
import { schedulerAdapter } from "./scheduler-adapter.js";
import { tlsServerCredentials } from "./tls/reloading-credentials.js";

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** The simulated fleet's hosts; by default what `config.fleet` describes. */
  readonly hosts?: readonly HostSpec[];
  /** Engine timings (tests shorten restart backoff and the like). */
  readonly timings?: Partial<EngineTimings>;
}

export interface RunningApp {
  /** The port the server listens on (useful with port 0). */
  readonly port: number;
  readonly database: OpenDatabase;
  readonly fleet: SimulatedFleet;
  readonly engine: Engine;
  /** The metrics HTTP port, when it is on. */
  readonly metricsPort: number | undefined;
  /** The server's Prometheus metrics; `metrics.engine` is the engine's EngineMetrics. */
  readonly metrics: AppMetrics;
  /** Whether the server can do its work (gRPC health and `/readyz` report it). */
  readonly readiness: Readiness;
  /** Stops accepting calls, lets in-flight calls finish (up to `graceMs`), closes the database. */
  stop(graceMs?: number): Promise<void>;
}

/** Wires the store, the services and the gRPC server, and starts listening. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: config.logLevel });

  const hosts = options.hosts ?? fleetHosts(config.fleet);
  // A bad tokens file or TLS file stops the start before anything is opened.
  const auth = config.authTokensFile
    ? startAuthentication(config.authTokensFile, config.reloadIntervalMs, log)
    : undefined;
  const tls = config.tls ? tlsServerCredentials(config.tls, config.reloadIntervalMs, log) : undefined;
  const target = config.database;
  log.info(
    {
      database:
        target.kind === "postgres"
          ? redactUrl(target.url)
          : target.kind === "pglite"
            ? target.dataDir
            : "memory",
    },
    "opening database",
  );
  const database = await openDatabase(target, {
    onPoolError: (e) => log.warn({ err: e }, "database connection lost; the pool opens a new one when asked"),
  });
  try {
    await migrateToLatest(database.db);
  } catch (e) {
    await database.close();
    throw e;
  }

  const health = HealthState();
  const readiness = new Readiness(health, API_SERVICE_NAMES);
  const metrics = createAppMetrics(readiness);
  const fleet = new SimulatedFleet({ clock, hosts, timeFactor: config.fleet.timeFactor });
  log.info({ hosts: hosts.length }, "simulated fleet ready");
  const engine = new Engine({
    metrics: metrics.engine,
    store: new RuntimeStore(database.db),
    fleet: fleetAdapter(fleet),
    scheduler: schedulerAdapter(config.placementStrategy),
    clock,
    log,
    timings: options.timings,
  });
  await engine.start();

  const jobs = new JobReads(database.db);
  const pods = new PodReads(database.db);
  const pools = new PoolReads(database.db);
  const probe = startDatabaseProbe({
    ping: () => sql`select 1`.execute(database.db),
    intervalMs: config.dbProbeIntervalMs,
    readiness,
    log,
  });
  const server = buildApiServer({
    log,
    middlewares: [metrics.grpcMiddleware, ...(auth ? [auth.middleware] : [])],
    descriptorSet: loadDescriptorSet(),
    health,
    implementations: {
      respool: resourcePoolService({ pools, engine }),
      job: jobService({
        jobs,
        pods,
        pools,
        engine,
        workflows: new WorkflowReads(database.db),
        maxInstancesPerJob: config.maxInstancesPerJob,
      }),
      pod: podService({ engine, pods, jobs, sandbox: (id) => fleet.browseSandbox(id) }),
      host: hostService({ engine }),
      volume: volumeService({ engine, volumes: new VolumeReads(database.db), jobs }),
      watch: {},
    },
  });
  let port: number;
  let metricsServer: MetricsServer | undefined;
  try {
    if (config.metrics)
      metricsServer = await startMetricsServer({
        address: config.metrics,
        registry: metrics.registry,
        readiness,
        log,
      });
    port = await server.listen(grpcAddress(config), tls?.credentials);
  } catch (e) {
    auth?.stop();
    tls?.stop();
    await metricsServer?.close();
    await probe.stop();
    await database.close();
    throw e;
  }
  log.info({ host: config.host, port, tls: tls !== undefined }, "peloton v1alpha server listening");

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      readiness.set("shutdown", false, "shutting down");
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.warn({ graceMs }, "in-flight calls did not finish in time; cancelling them");
          server.forceShutdown();
          resolve();
        }, graceMs);
      });
      await Promise.race([server.shutdown(), forced]);
      clearTimeout(timer);
      await engine.stop();
      auth?.stop();
      tls?.stop();
      await metricsServer?.close();
      await probe.stop();
      await database.close();
      log.info("stopped");
    })();
    return stopping;
  };
  return {
    port,
    metricsPort: metricsServer?.port,
    metrics,
    database,
    fleet,
    engine,
    readiness,
    stop,
  };
}
