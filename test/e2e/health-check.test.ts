import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { makeCa, makeLeaf } from "../support/certificates.js";
import { freePort } from "../support/scratch-postgres.js";
import { startTestServer } from "../support/server.js";

const run = promisify(execFile);
const SCRIPT = join(process.cwd(), "src", "app", "health-check.ts");

/** Runs the health-check script as a process of its own; answers its exit code and stderr. */
async function healthCheck(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ["--import", "tsx", SCRIPT], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe("the health-check script (the image's HEALTHCHECK)", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-hc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 while the server is SERVING, 1 once it is not, and 1 when nothing answers", async () => {
    const s = await startTestServer();
    const env = { PELOTON_LISTEN_ADDRESS: `0.0.0.0:${s.app.port}` };
    expect(await healthCheck(env)).toEqual({ code: 0, stderr: "" });
    s.app.readiness.set("held-by-test", false, "test");
    const down = await healthCheck(env);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("not serving");
    await s.stop();
    const gone = await healthCheck({ PELOTON_LISTEN_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^health check: 127\.0\.0\.1:\d+: /);
  });

  it("speaks TLS and presents the server's certificate under mTLS", async () => {
    const ca = makeCa(dir, "ca");
    const server = makeLeaf(dir, "server", ca);
    const tls = {
      PELOTON_TLS_CERT_FILE: server.certFile,
      PELOTON_TLS_KEY_FILE: server.keyFile,
      PELOTON_TLS_CA_FILE: ca.certFile,
    };
    const s = await startTestServer(tls);
    try {
      expect(await healthCheck({ ...tls, PELOTON_LISTEN_ADDRESS: `127.0.0.1:${s.app.port}` })).toEqual({
        code: 0,
        stderr: "",
      });
    } finally {
      await s.stop();
    }
  });
});
