import { PLACEMENT_STRATEGIES } from "../scheduler/placement/placement-strategy.js";

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Setting {
  /** What it means, one line; `--help` and the README's table print it. */
  readonly doc: string;
  /** The value when unset (as text, the way it would be written in the environment). */
  readonly default?: string;
  /** A URL whose password the start log replaces with `***`. */
  readonly secretUrl?: true;
}

/**
 * Every environment variable the server reads, in the order `--help` lists them. Any other
 * PELOTON_* variable is warned about at start (Kubernetes service links are ignored quietly).
 */
export const SETTINGS = {
  PELOTON_LISTEN_ADDRESS: {
    doc: "gRPC address as host:port (IPv6 in brackets: `[::]:5392`); instead of PELOTON_HOST and PELOTON_PORT",
    default: "127.0.0.1:5392",
  },
  PELOTON_HOST: {
    doc: "gRPC host to listen on (`0.0.0.0` every IPv4 interface, `::` every interface)",
    default: "127.0.0.1",
  },
  PELOTON_PORT: { doc: "gRPC port (`0` picks a free one; the log says which)", default: "5392" },
  DATABASE_URL: {
    doc: "PostgreSQL URL, e.g. `postgres://user:pass@host:5432/peloton`; unset means the embedded PGlite database",
    secretUrl: true,
  },
  PELOTON_DATA_DIR: { doc: "Folder of the embedded database (ignored with DATABASE_URL)", default: "./data" },
  PELOTON_DB_POOL_SIZE: { doc: "Connections to PostgreSQL", default: "10" },
  PELOTON_DB_STATEMENT_TIMEOUT_MS: {
    doc: "PostgreSQL `statement_timeout` of every connection, in ms (`0`: none)",
    default: "60000",
  },
  PELOTON_DB_PROBE_INTERVAL_MS: {
    doc: "How often the server asks the database whether it answers (gRPC health and `/readyz` follow), in ms",
    default: "2000",
  },
  PELOTON_AUTH_TOKENS_FILE: {
    doc: "JSON file of bearer tokens and users (read-only or read-write); unset means no authentication",
  },
  PELOTON_TLS_CERT_FILE: {
    doc: "PEM certificate (chain) the gRPC port serves; with PELOTON_TLS_KEY_FILE turns TLS on",
  },
  PELOTON_TLS_KEY_FILE: { doc: "PEM private key of PELOTON_TLS_CERT_FILE" },
  PELOTON_TLS_CA_FILE: {
    doc: "PEM CA certificates; when set, clients must present a certificate they signed (mTLS)",
  },
  PELOTON_RELOAD_INTERVAL_MS: {
    doc: "How often the TLS files and the tokens file are checked for changes, in ms",
    default: "5000",
  },
  PELOTON_METRICS_ADDRESS: {
    doc: "HTTP address of `/metrics`, `/healthz` and `/readyz` as host:port (`:5292`: the gRPC host); `off` disables it",
    default: ":5292",
  },
  PELOTON_SHUTDOWN_GRACE_MS: {
    doc: "On SIGTERM or SIGINT, how long in-flight calls may finish before they are cancelled, in ms",
    default: "10000",
  },
  PELOTON_LOG_LEVEL: { doc: `Log level: ${LOG_LEVELS.map((l) => `\`${l}\``).join(", ")}`, default: "info" },
  PELOTON_MAX_INSTANCES: { doc: "Largest `instance_count` a job may ask for", default: "100000" },
  PELOTON_SIM_HOSTS: { doc: "Hosts of the default simulated fleet", default: "10" },
  PELOTON_FLEET_FILE: {
    doc: "A JSON fleet file (host groups with count, capacity, ports, labels, zones) instead of PELOTON_SIM_HOSTS",
  },
  PELOTON_PLACEMENT_STRATEGY: {
    doc: `How placement ranks the hosts a pod fits on: ${PLACEMENT_STRATEGIES.map((s) => `\`${s}\``).join(" or ")} (fullest or emptiest first)`,
    default: "pack",
  },
  PELOTON_SIM_TIME_FACTOR: {
    doc: "Speed of simulated time: `1` is real time, `0.1` ten times faster",
    default: "1",
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export const isSettingName = (name: string): name is SettingName => Object.hasOwn(SETTINGS, name);
