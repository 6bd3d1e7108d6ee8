import { copyFileSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { credentials } from "@grpc/grpc-js";
import { type ChannelCredentials, createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { makeCa, makeLeaf, type Pem } from "../support/certificates.js";
import { failure } from "../support/grpc-errors.js";
import { healthOf } from "../support/health.js";
import { listServicesBytes } from "../support/reflection.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { pollUntil } from "../support/server-process.js";

/** GetResourcePool(root) over a channel with these credentials; closes the channel. */
async function getRoot(address: string, creds: ChannelCredentials) {
  const channel = createChannel(address, creds);
  try {
    const { respool } = await createClient(ResourcePoolServiceDefinition, channel).getResourcePool({
      respoolId: { value: "root" },
    });
    return respool?.path?.value;
  } finally {
    channel.close();
  }
}

/** The fingerprint of the certificate a new TLS connection is served. */
const servedFingerprint = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(
      { host: "127.0.0.1", port, ALPNProtocols: ["h2"], rejectUnauthorized: false },
      () => {
        const fp = socket.getPeerCertificate().fingerprint256;
        socket.destroy();
        resolve(fp);
      },
    );
    socket.on("error", reject);
  });

/** Puts a certificate and key in place the way a secret rotation does: each file renamed over. */
function install(from: Pem, to: { certFile: string; keyFile: string }, dir: string) {
  copyFileSync(from.certFile, join(dir, "incoming.crt"));
  copyFileSync(from.keyFile, join(dir, "incoming.key"));
  renameSync(join(dir, "incoming.key"), to.keyFile);
  renameSync(join(dir, "incoming.crt"), to.certFile);
}

describe("TLS on the gRPC port", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-tls-"));
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string>) => {
    const s = await startTestServer({ PELOTON_RELOAD_INTERVAL_MS: "20", ...env });
    servers.push(s);
    return s;
  };
  const ca1 = makeCa(dir, "ca1");
  const ca2 = makeCa(dir, "ca2");
  const clientCa = makeCa(dir, "client-ca");
  const otherCa = makeCa(dir, "other-ca");

  it("serves TLS, refuses plaintext, and serves new certificates once the files change, without a restart", async () => {
    const first = makeLeaf(dir, "server1", ca1);
    const live = { certFile: join(dir, "live.crt"), keyFile: join(dir, "live.key") };
    install(first, live, dir);
    const s = await start({ PELOTON_TLS_CERT_FILE: live.certFile, PELOTON_TLS_KEY_FILE: live.keyFile });
    const address = `localhost:${s.app.port}`;
    expect(await getRoot(address, credentials.createSsl(ca1.cert))).toBe("/");
    expect((await failure(getRoot(address, credentials.createInsecure()))).code).toBe("UNAVAILABLE");
    expect(await servedFingerprint(s.app.port)).toBe(first.fingerprint);
    // Health and reflection over TLS.
    const tlsChannel = createChannel(address, credentials.createSsl(ca1.cert));
    expect(await healthOf(tlsChannel)()).toBe("SERVING");
    tlsChannel.close();
    expect(await listServicesBytes(address, credentials.createSsl(ca1.cert))).toBeGreaterThan(100);

    // A key that is not the certificate's: logged, and the previous pair is still served.
    const other = makeLeaf(dir, "server-other", ca1);
    copyFileSync(other.keyFile, join(dir, "incoming.key"));
    renameSync(join(dir, "incoming.key"), live.keyFile);
    await pollUntil(
      "the mismatched key noticed",
      async () => s.logLines.some((l) => String(l.msg).includes("do not check out")),
      (seen) => seen,
      { maxMs: 10_000 },
    );
    expect(await servedFingerprint(s.app.port)).toBe(first.fingerprint);
    expect(await getRoot(address, credentials.createSsl(ca1.cert))).toBe("/");

    // Rotation to a certificate of another CA.
    const second = makeLeaf(dir, "server2", ca2);
    install(second, live, dir);
    await pollUntil(
      "the new certificate served",
      () => servedFingerprint(s.app.port),
      (fp) => fp === second.fingerprint,
      {
        maxMs: 10_000,
      },
    );
    expect(await getRoot(address, credentials.createSsl(ca2.cert))).toBe("/");
    expect((await failure(getRoot(address, credentials.createSsl(ca1.cert)))).code).toBe("UNAVAILABLE");
    expect(s.logLines.some((l) => l.msg === "TLS certificates reloaded")).toBe(true);
  });

  it("with a CA file requires client certificates that CA signed (mTLS)", async () => {
    const server = makeLeaf(dir, "mtls-server", ca1);
    const client = makeLeaf(dir, "client", clientCa);
    const stranger = makeLeaf(dir, "stranger", otherCa);
    const s = await start({
      PELOTON_TLS_CERT_FILE: server.certFile,
      PELOTON_TLS_KEY_FILE: server.keyFile,
      PELOTON_TLS_CA_FILE: clientCa.certFile,
    });
    const address = `localhost:${s.app.port}`;
    expect(await getRoot(address, credentials.createSsl(ca1.cert, client.key, client.cert))).toBe("/");
    expect((await failure(getRoot(address, credentials.createSsl(ca1.cert)))).code).toBe("UNAVAILABLE");
    expect(
      (await failure(getRoot(address, credentials.createSsl(ca1.cert, stranger.key, stranger.cert)))).code,
    ).toBe("UNAVAILABLE");
  });

  it("refuses to start on a key that is not the certificate's, naming the files", async () => {
    const a = makeLeaf(dir, "a", ca1);
    const b = makeLeaf(dir, "b", ca1);
    await expect(
      start({ PELOTON_TLS_CERT_FILE: a.certFile, PELOTON_TLS_KEY_FILE: b.keyFile }),
    ).rejects.toThrow(`PELOTON_TLS_KEY_FILE=${b.keyFile}: not the key of the certificate in ${a.certFile}`);
    await expect(
      start({ PELOTON_TLS_CERT_FILE: a.keyFile, PELOTON_TLS_KEY_FILE: a.keyFile }),
    ).rejects.toThrow("no PEM certificate in it");
  });
});
