import {
  isStrategyName,
  PLACEMENT_STRATEGIES,
  type StrategyName,
} from "../scheduler/placement/placement-strategy.js";
import type { DatabaseTarget } from "../store/open-database.js";
import { isServiceLink } from "./env-names.js";
import { formatAddress, type ListenAddress, parseAddress } from "./listen-address.js";
import { LOG_LEVELS, type LogLevel, SETTINGS, type Setting, type SettingName } from "./settings.js";

export { LOG_LEVELS, type LogLevel, SETTINGS } from "./settings.js";

export interface Config {
  /** The gRPC listen host (IPv6 without brackets) and port; `grpcAddress` joins them. */
  readonly host: string;
  readonly port: number;
  readonly database: DatabaseTarget;
  /** How often the database is asked whether it answers (health follows). */
  readonly dbProbeIntervalMs: number;
  readonly logLevel: LogLevel;
  /** Largest instance_count a job may ask for. */
  readonly maxInstancesPerJob: number;
  readonly fleet: FleetConfig;
  /** How placement ranks feasible hosts. */
  readonly placementStrategy: StrategyName;
  /** The metrics HTTP server's address, or undefined when it is off. */
  readonly metrics: ListenAddress | undefined;
  /** The tokens file; undefined means no authentication. */
  readonly authTokensFile: string | undefined;
  /** TLS on the gRPC port; undefined means plaintext. */
  readonly tls: TlsConfig | undefined;
  /** How often the TLS and tokens files are checked for changes. */
  readonly reloadIntervalMs: number;
  /** How long in-flight calls may finish on shutdown. */
  readonly shutdownGraceMs: number;
}

export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  /** When set, clients must present a certificate this CA signed. */
  readonly caFile: string | undefined;
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

type Env = Readonly<Record<string, string | undefined>>;

const integer = (name: string, text: string, min: number, max: number): number => {
  if (!/^\d+$/.test(text.trim())) throw new ConfigError(`${name}=${text}: must be a whole number`);
  const n = Number(text.trim());
  if (n < min || n > max) throw new ConfigError(`${name}=${text}: must be within ${min}-${max}`);
  return n;
};

/** The variable's value when set and not blank. */
const given = (env: Env, name: SettingName): string | undefined => {
  const v = env[name];
  return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
};

/** The variable's value, or the setting's default. */
const setting = (env: Env, name: SettingName): string | undefined =>
  given(env, name) ?? (SETTINGS[name] as Setting).default;

const address = (env: Env, name: SettingName, allowEmptyHost = false): ListenAddress => {
  const text = setting(env, name)!;
  const parsed = parseAddress(text, { allowEmptyHost });
  if (typeof parsed === "string") throw new ConfigError(`${name}=${text}: ${parsed}`);
  return parsed;
};

/** PELOTON_LISTEN_ADDRESS, or PELOTON_HOST and PELOTON_PORT (a service-link PELOTON_PORT is not a port). */
function grpcListen(env: Env): ListenAddress {
  const port = given(env, "PELOTON_PORT");
  const portIsLink = port !== undefined && isServiceLink("PELOTON_PORT", port);
  const hostOrPort = given(env, "PELOTON_HOST") !== undefined || (port !== undefined && !portIsLink);
  if (given(env, "PELOTON_LISTEN_ADDRESS") !== undefined) {
    if (hostOrPort) {
      throw new ConfigError(
        "PELOTON_LISTEN_ADDRESS and PELOTON_HOST/PELOTON_PORT: set one of them, not both",
      );
    }
    return address(env, "PELOTON_LISTEN_ADDRESS");
  }
  const host = setting(env, "PELOTON_HOST")!;
  if (host.startsWith("[") || /\s/.test(host)) {
    throw new ConfigError(
      `PELOTON_HOST=${host}: a bare host or IP address, e.g. :: or 0.0.0.0 (no brackets)`,
    );
  }
  const defaultPort = SETTINGS.PELOTON_PORT.default;
  return {
    host,
    port: integer("PELOTON_PORT", portIsLink ? defaultPort : (port ?? defaultPort), 0, 65535),
  };
}

function databaseTarget(env: Env): DatabaseTarget {
  const url = setting(env, "DATABASE_URL");
  if (!url) return { kind: "pglite", dataDir: setting(env, "PELOTON_DATA_DIR")! };
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
  return {
    kind: "postgres",
    url,
    poolSize: integer("PELOTON_DB_POOL_SIZE", setting(env, "PELOTON_DB_POOL_SIZE")!, 1, 1000),
    statementTimeoutMs: integer(
      "PELOTON_DB_STATEMENT_TIMEOUT_MS",
      setting(env, "PELOTON_DB_STATEMENT_TIMEOUT_MS")!,
      0,
      86_400_000,
    ),
  };
}

function tlsConfig(env: Env): TlsConfig | undefined {
  const certFile = given(env, "PELOTON_TLS_CERT_FILE");
  const keyFile = given(env, "PELOTON_TLS_KEY_FILE");
  const caFile = given(env, "PELOTON_TLS_CA_FILE");
  if (!certFile && !keyFile) {
    if (caFile)
      throw new ConfigError("PELOTON_TLS_CA_FILE: needs PELOTON_TLS_CERT_FILE and PELOTON_TLS_KEY_FILE");
    return undefined;
  }
  if (!certFile || !keyFile) {
    throw new ConfigError("PELOTON_TLS_CERT_FILE and PELOTON_TLS_KEY_FILE: set both or neither");
  }
  return { certFile, keyFile, caFile };
}

function fleetConfig(env: Env): FleetConfig {
  const factorText = setting(env, "PELOTON_SIM_TIME_FACTOR")!;
  const timeFactor = Number(factorText);
  if (!Number.isFinite(timeFactor) || timeFactor <= 0) {
    throw new ConfigError(`PELOTON_SIM_TIME_FACTOR=${factorText}: must be a number > 0`);
  }
  const fleetFile = given(env, "PELOTON_FLEET_FILE");
  if (fleetFile && given(env, "PELOTON_SIM_HOSTS")) {
    throw new ConfigError("PELOTON_FLEET_FILE and PELOTON_SIM_HOSTS: set one of them, not both");
  }
  return fleetFile
    ? { kind: "file", path: fleetFile, timeFactor }
    : {
        kind: "default",
        hosts: integer("PELOTON_SIM_HOSTS", setting(env, "PELOTON_SIM_HOSTS")!, 0, 1_000_000),
        timeFactor,
      };
}

/**
 * Reads the configuration from the environment; throws ConfigError on the first bad setting.
 * Names it does not know are not its business: `checkEnvNames` reports them.
 */
export function loadConfig(env: Env): Config {
  const logLevel = setting(env, "PELOTON_LOG_LEVEL")!;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`PELOTON_LOG_LEVEL=${logLevel}: must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const strategy = setting(env, "PELOTON_PLACEMENT_STRATEGY")!;
  if (!isStrategyName(strategy)) {
    throw new ConfigError(
      `PELOTON_PLACEMENT_STRATEGY=${strategy}: must be one of ${PLACEMENT_STRATEGIES.join(", ")}`,
    );
  }
  const listen = grpcListen(env);
  const metricsText = setting(env, "PELOTON_METRICS_ADDRESS")!;
  let metrics: ListenAddress | undefined;
  if (metricsText.toLowerCase() !== "off") {
    const m = address(env, "PELOTON_METRICS_ADDRESS", true);
    metrics = { host: m.host === "" ? listen.host : m.host, port: m.port };
  }
  return {
    host: listen.host,
    port: listen.port,
    database: databaseTarget(env),
    dbProbeIntervalMs: integer(
      "PELOTON_DB_PROBE_INTERVAL_MS",
      setting(env, "PELOTON_DB_PROBE_INTERVAL_MS")!,
      10,
      3_600_000,
    ),
    logLevel: logLevel as LogLevel,
    maxInstancesPerJob: integer(
      "PELOTON_MAX_INSTANCES",
      setting(env, "PELOTON_MAX_INSTANCES")!,
      1,
      10_000_000,
    ),
    fleet: fleetConfig(env),
    placementStrategy: strategy,
    metrics,
    authTokensFile: given(env, "PELOTON_AUTH_TOKENS_FILE"),
    tls: tlsConfig(env),
    reloadIntervalMs: integer(
      "PELOTON_RELOAD_INTERVAL_MS",
      setting(env, "PELOTON_RELOAD_INTERVAL_MS")!,
      10,
      3_600_000,
    ),
    shutdownGraceMs: integer(
      "PELOTON_SHUTDOWN_GRACE_MS",
      setting(env, "PELOTON_SHUTDOWN_GRACE_MS")!,
      0,
      3_600_000,
    ),
  };
}

/** The gRPC listen address as grpc-js takes it (`[::]:5392`). */
export const grpcAddress = (config: Pick<Config, "host" | "port">): string => formatAddress(config);

/** The effective configuration for the start log: the database URL's password replaced. */
export function describeConfig(config: Config): Record<string, unknown> {
  const { database, host, port, metrics, ...rest } = config;
  return {
    ...rest,
    listen: grpcAddress({ host, port }),
    metrics: metrics ? formatAddress(metrics) : "off",
    database: database.kind === "postgres" ? { ...database, url: redactUrl(database.url) } : database,
  };
}

/** The URL with its password (and any password in its query) replaced, for logs. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const key of [...u.searchParams.keys()])
      if (/pass|secret|token|key/i.test(key)) u.searchParams.set(key, "***");
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
};
