import { HealthState } from "nice-grpc-server-health";
import pino, { type Logger } from "pino";
import { jobService } from "../api/job/job-service.js";
import { zeroUsages } from "../api/respool/convert.js";
import { resourcePoolService } from "../api/respool/resource-pool-service.js";
import { buildApiServer } from "../api/server.js";
import { type Clock, systemClock } from "../lib/clock.js";
import { JobRepository } from "../store/job-repository.js";
import { migrateToLatest } from "../store/migrate.js";
import { type OpenDatabase, openDatabase } from "../store/open-database.js";
import { ResourcePoolRepository } from "../store/resource-pool-repository.js";
import { type Config, redactUrl } from "./config.js";
import { loadDescriptorSet } from "./descriptor-set.js";

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export interface RunningApp {
  /** The port the server listens on (useful with port 0). */
  readonly port: number;
  readonly database: OpenDatabase;
  /** Stops accepting calls, lets in-flight calls finish (up to `graceMs`), closes the database. */
  stop(graceMs?: number): Promise<void>;
}

/** Wires the store, the services and the gRPC server, and starts listening. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: config.logLevel });

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
  const database = await openDatabase(target);
  try {
    await migrateToLatest(database.db);
  } catch (e) {
    await database.close();
    throw e;
  }

  const pools = new ResourcePoolRepository(database.db);
  const jobs = new JobRepository(database.db);
  const health = HealthState();
  const server = buildApiServer({
    log,
    descriptorSet: loadDescriptorSet(),
    health,
    implementations: {
      respool: resourcePoolService({ pools, clock, usages: zeroUsages }),
      job: jobService({ jobs, pools, clock, maxInstancesPerJob: config.maxInstancesPerJob }),
      pod: {},
      host: {},
      volume: {},
      watch: {},
    },
  });
  let port: number;
  try {
    port = await server.listen(`${config.host}:${config.port}`);
  } catch (e) {
    await database.close();
    throw e;
  }
  log.info({ host: config.host, port }, "peloton v1alpha server listening");

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      health.setStatus("unhealthy");
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
      await database.close();
      log.info("stopped");
    })();
    return stopping;
  };
  return { port, database, stop };
}
