import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerCredentials } from "@grpc/grpc-js";
import { createServer, type Server } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import {
  HostServiceDefinition,
  type HostServiceImplementation,
} from "../../src/gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { CLI_TEST_TIMEOUT, ok, peloton } from "./support/run-peloton.js";

/*
 * The connection flags against a stand-in HostService (the real server's TLS and tokens are being
 * built in parallel): the stand-in records the authorization each call carried, and serves
 * plaintext or TLS that requires a client certificate.
 */

const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "peloton-tls-"));
const at = (name: string) => join(dir, name);

/** A CA, and a server and a client certificate it signs (EC P-256, valid for a day). */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...key,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=peloton-test-ca",
  );
  for (const [name, ext] of [
    ["server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth"],
    ["client", "extendedKeyUsage=clientAuth"],
  ] as const) {
    writeFileSync(at(`${name}.ext`), `${ext}\n`);
    openssl("req", ...key, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
    );
  }
}

describe("the connection flags", CLI_TEST_TIMEOUT, () => {
  const seen: string[] = [];
  const hosts: HostServiceImplementation = {
    async queryHosts(_req, context) {
      seen.push(context.metadata.get("authorization") ?? "(none)");
      return { hostInfos: [{ hostname: "stand-in", ip: "127.0.0.1", state: HostState.HOST_STATE_UP }] };
    },
    startMaintenance: async () => ({}),
    completeMaintenance: async () => ({}),
  };
  let plain: Server;
  let plainPort: number;
  let tls: Server | undefined;
  let tlsPort = 0;

  beforeAll(async () => {
    plain = createServer();
    plain.add(HostServiceDefinition, hosts);
    plainPort = await plain.listen("127.0.0.1:0");
    if (!hasOpenssl) return;
    makeCertificates();
    tls = createServer();
    tls.add(HostServiceDefinition, hosts);
    const credentials = ServerCredentials.createSsl(
      readFileSync(at("ca.pem")),
      [{ cert_chain: readFileSync(at("server.pem")), private_key: readFileSync(at("server.key")) }],
      true,
    );
    tlsPort = await tls.listen("127.0.0.1:0", credentials);
  });
  afterAll(async () => {
    await plain?.shutdown();
    await tls?.shutdown();
  });

  it("send --token, or PELOTON_TOKEN, as a bearer token", async () => {
    seen.length = 0;
    const address = `127.0.0.1:${plainPort}`;
    expect(await ok(peloton(address, ["--token", "s3cret", "host", "query"]))).toMatch(
      /^HOST +IP +STATE\nstand-in +127\.0\.0\.1 +UP\n$/,
    );
    await ok(peloton(address, ["host", "query"], { PELOTON_TOKEN: "from-env" }));
    await ok(peloton(address, ["host", "query"]));
    expect(seen).toEqual(["Bearer s3cret", "Bearer from-env", "(none)"]);
  });

  it.skipIf(!hasOpenssl)(
    `speak mutual TLS with --tls-ca, --tls-cert and --tls-key${hasOpenssl ? "" : " (skipped: no openssl)"}`,
    async () => {
      const address = `localhost:${tlsPort}`;
      const mtls = ["--tls-ca", at("ca.pem"), "--tls-cert", at("client.pem"), "--tls-key", at("client.key")];
      const [good, noClientCert, plaintext, missingCa] = await Promise.all([
        peloton(address, [...mtls, "-j", "host", "query"]),
        peloton(address, ["--tls-ca", at("ca.pem"), "host", "query"]),
        peloton(address, ["host", "query"]),
        peloton(address, ["--tls-ca", at("nope.pem"), "host", "query"]),
      ]);
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout).hostInfos[0].hostname).toBe("stand-in");
      expect(noClientCert.code).toBe(14);
      expect(noClientCert.stderr).toMatch(/^peloton: UNAVAILABLE: /);
      expect(plaintext.code).toBe(14);
      expect(missingCa.code).toBe(1);
      expect(missingCa.stderr).toBe(`peloton: --tls-ca: cannot read ${at("nope.pem")}: ENOENT\n`);
    },
  );
});
