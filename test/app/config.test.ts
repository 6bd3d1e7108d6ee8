import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, grpcAddress, loadConfig, redactUrl } from "../../src/app/config.js";

describe("loadConfig", () => {
  it("defaults to 127.0.0.1:5392, the embedded database in ./data and metrics on the gRPC host", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: "127.0.0.1", port: 5392, logLevel: "info", maxInstancesPerJob: 100_000 });
    expect(c.database).toEqual({ kind: "pglite", dataDir: "./data" });
    expect(c.fleet).toEqual({ kind: "default", hosts: 10, timeFactor: 1 });
    expect(c.placementStrategy).toBe("pack");
    expect(c.metrics).toEqual({ host: "127.0.0.1", port: 5292 });
    expect(c).toMatchObject({ authTokensFile: undefined, tls: undefined, shutdownGraceMs: 10_000 });
    expect(loadConfig({ PELOTON_PLACEMENT_STRATEGY: "spread" }).placementStrategy).toBe("spread");
  });

  it("reads a fleet file path and a time factor", () => {
    expect(
      loadConfig({ PELOTON_FLEET_FILE: "/etc/fleet.json", PELOTON_SIM_TIME_FACTOR: "0.1" }).fleet,
    ).toEqual({
      kind: "file",
      path: "/etc/fleet.json",
      timeFactor: 0.1,
    });
  });

  it("uses Postgres when DATABASE_URL is set, with a statement timeout", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/x", PELOTON_DB_POOL_SIZE: "4" });
    expect(c.database).toEqual({
      kind: "postgres",
      url: "postgres://u:p@127.0.0.1:5432/x",
      poolSize: 4,
      statementTimeoutMs: 60_000,
    });
    expect(
      loadConfig({ DATABASE_URL: "postgres://h/x", PELOTON_DB_STATEMENT_TIMEOUT_MS: "0" }).database,
    ).toMatchObject({ statementTimeoutMs: 0 });
  });

  it.each([
    [{ PELOTON_LISTEN_ADDRESS: "0.0.0.0:5392" }, "0.0.0.0", 5392, "0.0.0.0:5392"],
    [{ PELOTON_LISTEN_ADDRESS: "[::]:5392" }, "::", 5392, "[::]:5392"],
    [{ PELOTON_LISTEN_ADDRESS: "[::1]:0" }, "::1", 0, "[::1]:0"],
    [{ PELOTON_LISTEN_ADDRESS: "localhost:7000" }, "localhost", 7000, "localhost:7000"],
    [{ PELOTON_HOST: "::" }, "::", 5392, "[::]:5392"],
    [{ PELOTON_HOST: "0.0.0.0", PELOTON_PORT: "6000" }, "0.0.0.0", 6000, "0.0.0.0:6000"],
    // Kubernetes' service link for a Service named `peloton` is not a port.
    [{ PELOTON_PORT: "tcp://10.96.0.12:5392" }, "127.0.0.1", 5392, "127.0.0.1:5392"],
    [
      { PELOTON_LISTEN_ADDRESS: "0.0.0.0:1", PELOTON_PORT: "tcp://10.96.0.12:5392" },
      "0.0.0.0",
      1,
      "0.0.0.0:1",
    ],
  ])("listens where %o says: %s port %d (%s)", (env, host, port, address) => {
    const c = loadConfig(env);
    expect({ host: c.host, port: c.port, address: grpcAddress(c) }).toEqual({ host, port, address });
  });

  it("puts metrics where PELOTON_METRICS_ADDRESS says, on the gRPC host when it names none, or nowhere", () => {
    expect(loadConfig({ PELOTON_HOST: "::", PELOTON_METRICS_ADDRESS: ":0" }).metrics).toEqual({
      host: "::",
      port: 0,
    });
    expect(loadConfig({ PELOTON_METRICS_ADDRESS: "0.0.0.0:9100" }).metrics).toEqual({
      host: "0.0.0.0",
      port: 9100,
    });
    expect(loadConfig({ PELOTON_METRICS_ADDRESS: "off" }).metrics).toBeUndefined();
  });

  it("reads TLS files and the tokens file", () => {
    expect(loadConfig({ PELOTON_TLS_CERT_FILE: "c.pem", PELOTON_TLS_KEY_FILE: "k.pem" }).tls).toEqual({
      certFile: "c.pem",
      keyFile: "k.pem",
      caFile: undefined,
    });
    expect(
      loadConfig({ PELOTON_TLS_CERT_FILE: "c", PELOTON_TLS_KEY_FILE: "k", PELOTON_TLS_CA_FILE: "ca" }).tls
        ?.caFile,
    ).toBe("ca");
    expect(loadConfig({ PELOTON_AUTH_TOKENS_FILE: "/etc/peloton/tokens.json" }).authTokensFile).toBe(
      "/etc/peloton/tokens.json",
    );
  });

  it.each([
    [{ PELOTON_PORT: "abc" }, "PELOTON_PORT=abc: must be a whole number"],
    [{ PELOTON_PORT: "70000" }, "PELOTON_PORT=70000: must be within 0-65535"],
    [{ PELOTON_LISTEN_ADDRESS: ":::5392" }, "PELOTON_LISTEN_ADDRESS=:::5392: an IPv6 host goes in brackets"],
    [{ PELOTON_LISTEN_ADDRESS: "[zz]:1" }, "[zz] is not an IPv6 address"],
    [{ PELOTON_LISTEN_ADDRESS: ":5392" }, "PELOTON_LISTEN_ADDRESS=:5392: needs a host"],
    [{ PELOTON_LISTEN_ADDRESS: "0.0.0.0" }, "must be host:port"],
    [{ PELOTON_LISTEN_ADDRESS: "0.0.0.0:99999" }, "port must be within 0-65535"],
    [{ PELOTON_LISTEN_ADDRESS: "0.0.0.0:1", PELOTON_HOST: "::" }, "set one of them, not both"],
    [{ PELOTON_LISTEN_ADDRESS: "0.0.0.0:1", PELOTON_PORT: "2" }, "set one of them, not both"],
    [{ PELOTON_HOST: "[::]" }, "PELOTON_HOST=[::]: a bare host"],
    [{ PELOTON_METRICS_ADDRESS: "9100" }, "PELOTON_METRICS_ADDRESS=9100: must be host:port"],
    [{ PELOTON_LOG_LEVEL: "loud" }, "PELOTON_LOG_LEVEL=loud: must be one of"],
    [{ DATABASE_URL: "mysql://x/y" }, "DATABASE_URL: scheme must be postgres://"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL: not a URL"],
    [{ PELOTON_MAX_INSTANCES: "0" }, "PELOTON_MAX_INSTANCES=0: must be within 1-10000000"],
    [{ PELOTON_SIM_HOSTS: "-3" }, "PELOTON_SIM_HOSTS=-3: must be a whole number"],
    [{ PELOTON_SIM_TIME_FACTOR: "0" }, "PELOTON_SIM_TIME_FACTOR=0: must be a number > 0"],
    [
      { PELOTON_TLS_CERT_FILE: "c.pem" },
      "PELOTON_TLS_CERT_FILE and PELOTON_TLS_KEY_FILE: set both or neither",
    ],
    [{ PELOTON_TLS_CA_FILE: "ca.pem" }, "PELOTON_TLS_CA_FILE: needs PELOTON_TLS_CERT_FILE"],
    [
      { PELOTON_PLACEMENT_STRATEGY: "random" },
      "PELOTON_PLACEMENT_STRATEGY=random: must be one of pack, spread",
    ],
    [{ PELOTON_SIM_HOSTS: "3", PELOTON_FLEET_FILE: "f.json" }, "set one of them, not both"],
  ])("rejects %o with a one-line reason", (env, reason) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(reason);
  });

  it("does not stop on names it does not know (checkEnvNames reports them)", () => {
    expect(loadConfig({ PELOTON_PROT: "1", PELOTON_ADDR: "localhost:5392" }).port).toBe(5392);
  });

  it("never shows a password when redacting a URL or describing the configuration", () => {
    expect(redactUrl("postgres://u:secret@h:5432/db")).not.toContain("secret");
    expect(redactUrl("postgres://u@h:5432/db?password=secret&sslmode=require")).not.toContain("secret");
    const described = JSON.stringify(
      describeConfig(loadConfig({ DATABASE_URL: "postgres://u:hunter2@h/db" })),
    );
    expect(described).not.toContain("hunter2");
    expect(described).toContain("postgres://u:***@h/db");
    expect(described).toContain('"listen":"127.0.0.1:5392"');
  });
});
