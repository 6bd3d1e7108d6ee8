import {
  isStrategyName,
  PLACEMENT_STRATEGIES,
  type StrategyName,
} from "../scheduler/placement/placement-strategy.js";
import type { DatabaseTarget } from "../store/open-database.js";

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: DatabaseTarget;
  readonly logLevel: LogLevel;
  /** Largest instance_count a job may ask for. */
  readonly maxInstancesPerJob: number;
  readonly fleet: FleetConfig;
  /** How placement ranks feasible hosts. */
  readonly placementStrategy: StrategyName;
}

/** The simulated fleet: a default fleet of `hosts` hosts, or the hosts of a fleet file. */
export type FleetConfig = (
  | { readonly kind: "default"; readonly hosts: number }
  | { readonly kind: "file"; readonly path: string }
) & { readonly timeFactor: number };

/** A setting the server cannot start with; the message is one line naming it and the rule. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

interface Setting {
  readonly doc: string;
  readonly default?: string;
}

/** Every environment variable the server reads. Any other PELOTON_* variable is an error. */
export const SETTINGS = {
  PELOTON_HOST: { doc: "Address to listen on", default: "0.0.0.0" },
  PELOTON_PORT: { doc: "gRPC port (0 picks a free one)", default: "5392" },
  DATABASE_URL: { doc: "PostgreSQL URL; unset means the embedded PGlite database" },
  PELOTON_DATA_DIR: { doc: "Folder of the embedded database (ignored with DATABASE_URL)", default: "./data" },
  PELOTON_DB_POOL_SIZE: { doc: "Connections to PostgreSQL", default: "10" },
  PELOTON_LOG_LEVEL: { doc: `Log level: ${LOG_LEVELS.join(", ")}`, default: "info" },
  PELOTON_MAX_INSTANCES: { doc: "Largest instance_count of a job", default: "100000" },
  PELOTON_SIM_HOSTS: { doc: "Hosts of the default simulated fleet", default: "10" },
  PELOTON_FLEET_FILE: {
    doc: "JSON fleet file describing the simulated hosts (instead of PELOTON_SIM_HOSTS)",
  },
  PELOTON_PLACEMENT_STRATEGY: {
    doc: `Placement ranking: ${PLACEMENT_STRATEGIES.join(" or ")}`,
    default: "pack",
  },
  PELOTON_SIM_TIME_FACTOR: {
    doc: "Speed of simulated time: 1 is real time, 0.1 ten times faster",
    default: "1",
  },
} as const satisfies Record<string, Setting>;

type Env = Readonly<Record<string, string | undefined>>;

const integer = (name: string, text: string, min: number, max: number): number => {
  if (!/^\d+$/.test(text.trim())) throw new ConfigError(`${name}=${text}: must be a whole number`);
  const n = Number(text.trim());
  if (n < min || n > max) throw new ConfigError(`${name}=${text}: must be within ${min}-${max}`);
  return n;
};

const setting = (env: Env, name: keyof typeof SETTINGS): string | undefined => {
  const v = env[name];
  if (v !== undefined && v.trim() !== "") return v;
  const d: Setting = SETTINGS[name];
  return d.default;
};

/** Reads the configuration from the environment; throws ConfigError on the first bad setting. */
export function loadConfig(env: Env): Config {
  for (const name of Object.keys(env)) {
    if (name.startsWith("PELOTON_") && !(name in SETTINGS) && !name.startsWith("PELOTON_TEST_")) {
      throw new ConfigError(`${name}: unknown setting (known: ${Object.keys(SETTINGS).join(", ")})`);
    }
  }
  const logLevel = setting(env, "PELOTON_LOG_LEVEL")!;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`PELOTON_LOG_LEVEL=${logLevel}: must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const url = setting(env, "DATABASE_URL");
  let database: DatabaseTarget;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError("DATABASE_URL: not a URL (expected postgres://user@host:port/database)");
    }
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
      throw new ConfigError(
        `DATABASE_URL: scheme must be postgres:// or postgresql://, not ${parsed.protocol}//`,
      );
    }
    database = {
      kind: "postgres",
      url,
      poolSize: integer("PELOTON_DB_POOL_SIZE", setting(env, "PELOTON_DB_POOL_SIZE")!, 1, 1000),
    };
  } else {
    database = { kind: "pglite", dataDir: setting(env, "PELOTON_DATA_DIR")! };
  }
  const factorText = setting(env, "PELOTON_SIM_TIME_FACTOR")!;
  const timeFactor = Number(factorText);
  if (!Number.isFinite(timeFactor) || timeFactor <= 0 || factorText.trim() === "") {
    throw new ConfigError(`PELOTON_SIM_TIME_FACTOR=${factorText}: must be a number > 0`);
  }
  const fleetFile = env.PELOTON_FLEET_FILE?.trim();
  if (fleetFile && env.PELOTON_SIM_HOSTS?.trim()) {
    throw new ConfigError("PELOTON_FLEET_FILE and PELOTON_SIM_HOSTS: set one of them, not both");
  }
  const fleet: FleetConfig = fleetFile
    ? { kind: "file", path: fleetFile, timeFactor }
    : {
        kind: "default",
        hosts: integer("PELOTON_SIM_HOSTS", setting(env, "PELOTON_SIM_HOSTS")!, 0, 1_000_000),
        timeFactor,
      };
  const strategy = setting(env, "PELOTON_PLACEMENT_STRATEGY")!;
  if (!isStrategyName(strategy)) {
    throw new ConfigError(
      `PELOTON_PLACEMENT_STRATEGY=${strategy}: must be one of ${PLACEMENT_STRATEGIES.join(", ")}`,
    );
  }
  return {
    fleet,
    placementStrategy: strategy,
    host: setting(env, "PELOTON_HOST")!,
    port: integer("PELOTON_PORT", setting(env, "PELOTON_PORT")!, 0, 65535),
    database,
    logLevel: logLevel as LogLevel,
    maxInstancesPerJob: integer(
      "PELOTON_MAX_INSTANCES",
      setting(env, "PELOTON_MAX_INSTANCES")!,
      1,
      10_000_000,
    ),
  };
}

/** The URL with its password replaced, for logs. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
};
