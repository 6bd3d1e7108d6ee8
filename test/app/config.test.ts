import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactUrl } from "../../src/app/config.js";

describe("loadConfig", () => {
  it("defaults to port 5392 and the embedded database in ./data", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: "0.0.0.0", port: 5392, logLevel: "info", maxInstancesPerJob: 100_000 });
    expect(c.database).toEqual({ kind: "pglite", dataDir: "./data" });
    expect(c.fleet).toEqual({ kind: "default", hosts: 10, timeFactor: 1 });
    expect(c.placementStrategy).toBe("pack");
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

  it("uses Postgres when DATABASE_URL is set", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/x", PELOTON_DB_POOL_SIZE: "4" });
    expect(c.database).toEqual({ kind: "postgres", url: "postgres://u:p@127.0.0.1:5432/x", poolSize: 4 });
  });

  it.each([
    [{ PELOTON_PORT: "abc" }, "PELOTON_PORT=abc: must be a whole number"],
    [{ PELOTON_PORT: "70000" }, "PELOTON_PORT=70000: must be within 0-65535"],
    [{ PELOTON_LOG_LEVEL: "loud" }, "PELOTON_LOG_LEVEL=loud: must be one of"],
    [{ DATABASE_URL: "mysql://x/y" }, "DATABASE_URL: scheme must be postgres://"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL: not a URL"],
    [{ PELOTON_PROT: "1" }, "PELOTON_PROT: unknown setting"],
    [{ PELOTON_MAX_INSTANCES: "0" }, "PELOTON_MAX_INSTANCES=0: must be within 1-10000000"],
    [{ PELOTON_SIM_HOSTS: "-3" }, "PELOTON_SIM_HOSTS=-3: must be a whole number"],
    [{ PELOTON_SIM_TIME_FACTOR: "0" }, "PELOTON_SIM_TIME_FACTOR=0: must be a number > 0"],
    [
      { PELOTON_PLACEMENT_STRATEGY: "random" },
      "PELOTON_PLACEMENT_STRATEGY=random: must be one of pack, spread",
    ],
    [{ PELOTON_SIM_HOSTS: "3", PELOTON_FLEET_FILE: "f.json" }, "set one of them, not both"],
  ])("rejects %o with a one-line reason", (env, reason) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(reason);
  });

  it("never shows a password when redacting a URL", () => {
    expect(redactUrl("postgres://u:secret@h:5432/db")).not.toContain("secret");
  });
});
