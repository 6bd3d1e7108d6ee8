import { describe, expect, it } from "vitest";
import { checkEnvNames, didYouMean, editDistance, isServiceLink } from "../../src/app/env-names.js";

describe("checkEnvNames", () => {
  it.each([
    ["PELOTON_SERVICE_HOST", "10.96.0.12"],
    ["PELOTON_SERVICE_PORT", "5392"],
    ["PELOTON_SERVICE_PORT_GRPC", "5392"],
    ["PELOTON_PORT", "tcp://10.96.0.12:5392"],
    ["PELOTON_PORT_5392_TCP", "tcp://10.96.0.12:5392"],
    ["PELOTON_PORT_5392_TCP_PROTO", "tcp"],
    ["PELOTON_PORT_5392_TCP_PORT", "5392"],
    ["PELOTON_PORT_5392_TCP_ADDR", "10.96.0.12"],
    ["PELOTON_POSTGRES_SERVICE_HOST", "10.96.0.13"],
    ["PELOTON_POSTGRES_SERVICE_PORT", "5432"],
    ["PELOTON_POSTGRES_PORT", "tcp://10.96.0.13:5432"],
    ["PELOTON_POSTGRES_PORT_5432_TCP_ADDR", "10.96.0.13"],
    ["PELOTON_METRICS_PORT_5292_UDP", "udp://10.96.0.14:5292"],
  ])("ignores the Kubernetes service link %s=%s", (name, value) => {
    expect(isServiceLink(name, value)).toBe(true);
    expect(checkEnvNames({ [name]: value })).toEqual({ unknown: [], serviceLinks: [name] });
  });

  it("takes PELOTON_PORT with a number for the setting it is, not a service link", () => {
    expect(isServiceLink("PELOTON_PORT", "5392")).toBe(false);
    expect(checkEnvNames({ PELOTON_PORT: "5392" })).toEqual({ unknown: [], serviceLinks: [] });
  });

  it("reports unknown names with the setting they most likely meant", () => {
    const report = checkEnvNames({
      PELOTON_PROT: "1",
      PELOTON_DATADIR: "/x",
      PELOTON_TLS_CERT: "c.pem",
      PELOTON_ADDR: "localhost:5392",
      PELOTON_TEST_DATABASE_URL: "postgres://x/y",
      PELOTON_LOG_LEVEL: "info",
      HOME: "/root",
    });
    expect(report.serviceLinks).toEqual([]);
    expect(report.unknown).toEqual([
      { name: "PELOTON_ADDR" },
      { name: "PELOTON_DATADIR", suggestion: "PELOTON_DATA_DIR" },
      { name: "PELOTON_PROT", suggestion: "PELOTON_PORT" },
      { name: "PELOTON_TLS_CERT", suggestion: "PELOTON_TLS_CERT_FILE" },
    ]);
  });

  it("measures edit distance", () => {
    expect(editDistance("PELOTON_PROT", "PELOTON_PORT")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(didYouMean("PELOTON_COMPLETELY_DIFFERENT_THING")).toBeUndefined();
  });
});
