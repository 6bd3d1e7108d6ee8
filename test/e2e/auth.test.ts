import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Metadata } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure } from "../support/grpc-errors.js";
import { healthOf } from "../support/health.js";
import { listServicesBytes } from "../support/reflection.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { pollUntil } from "../support/server-process.js";

const RW = "rw-token-0123456789abcdef";
const RO = "ro-token-0123456789abcdef";
const PASSWORD = "alice-password-0123456789";
const ROTATED = "rotated-token-0123456789abcdef";

const bearer = (token: string) => ({ metadata: Metadata({ authorization: `Bearer ${token}` }) });

describe("authentication with PELOTON_AUTH_TOKENS_FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "peloton-auth-"));
  const file = join(dir, "tokens.json");
  let s: TestServer;
  beforeAll(async () => {
    writeFileSync(
      file,
      JSON.stringify({
        tokens: [
          { name: "ci", token: RW, access: "read-write" },
          { name: "dashboard", token: RO, access: "read-only" },
        ],
        users: [{ username: "alice", password: PASSWORD, access: "read-write" }],
      }),
    );
    s = await startTestServer({ PELOTON_AUTH_TOKENS_FILE: file, PELOTON_RELOAD_INTERVAL_MS: "20" });
  });
  afterAll(async () => {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const root = { respoolId: { value: "root" } };
  const pool = (name: string) => ({ spec: { name, parent: { value: "root" } } });

  it("answers UNAUTHENTICATED without credentials or with wrong ones", async () => {
    expect(await failure(s.respool.getResourcePool(root))).toMatchObject({
      code: "UNAUTHENTICATED",
      details: expect.stringContaining("authorization: Bearer <token>"),
    });
    expect((await failure(s.respool.getResourcePool(root, bearer("wrong-token-0123456789")))).code).toBe(
      "UNAUTHENTICATED",
    );
    expect(
      (
        await failure(
          s.respool.getResourcePool(root, { metadata: Metadata({ authorization: `Basic ${RW}` }) }),
        )
      ).code,
    ).toBe("UNAUTHENTICATED");
    expect(
      (
        await failure(
          s.respool.getResourcePool(root, {
            metadata: Metadata({ username: "alice", password: "not-her-password" }),
          }),
        )
      ).code,
    ).toBe("UNAUTHENTICATED");
    // Streams too.
    const stream = s.job.listJobs({});
    await expect((async () => stream[Symbol.asyncIterator]().next())()).rejects.toMatchObject({ code: 16 });
  });

  it("lets a read-only token read and answers PERMISSION_DENIED to its writes", async () => {
    const { respool } = await s.respool.getResourcePool(root, bearer(RO));
    expect(respool?.path?.value).toBe("/");
    await s.job.queryJobs({ spec: {} }, bearer(RO));
    expect(await failure(s.respool.createResourcePool(pool("ro"), bearer(RO)))).toMatchObject({
      code: "PERMISSION_DENIED",
      details:
        "dashboard has read-only access; peloton.api.v1alpha.respool.ResourcePoolService/CreateResourcePool needs read-write",
    });
    expect((await failure(s.host.startMaintenance({ hostnames: ["host-0000"] }, bearer(RO)))).code).toBe(
      "PERMISSION_DENIED",
    );
  });

  it("lets a read-write token and Peloton's username/password metadata write", async () => {
    await s.respool.createResourcePool(pool("rw"), bearer(RW));
    await s.respool.createResourcePool(pool("alice"), {
      metadata: Metadata({ username: "alice", password: PASSWORD }),
    });
    const { respool } = await s.respool.getResourcePool({ respoolId: { value: "root" } }, bearer(RO));
    expect(respool?.children.length).toBe(2);
  });

  it("keeps health and reflection open", async () => {
    expect(await healthOf(s.channel)()).toBe("SERVING");
    expect(await listServicesBytes(s.address)).toBeGreaterThan(100);
  });

  it("takes a changed tokens file without a restart, and keeps the old one when the new one is bad", async () => {
    writeFileSync(
      file,
      JSON.stringify({ tokens: [{ name: "rotated", token: ROTATED, access: "read-write" }] }),
    );
    await pollUntil(
      "the rotated token accepted",
      () =>
        s.respool.getResourcePool(root, bearer(ROTATED)).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
      { maxMs: 10_000 },
    );
    expect((await failure(s.respool.getResourcePool(root, bearer(RW)))).code).toBe("UNAUTHENTICATED");
    writeFileSync(file, "{ not json");
    await pollUntil(
      "the bad file noticed",
      async () => s.logLines.some((l) => l.msg === "tokens file not reloaded; the previous credentials stay"),
      (seen) => seen,
      { maxMs: 10_000 },
    );
    await s.respool.getResourcePool(root, bearer(ROTATED));
  });

  it("never logs a token or a password", () => {
    const everything = JSON.stringify(s.logLines);
    expect(s.logLines.some((l) => l.code === "UNAUTHENTICATED")).toBe(true);
    for (const secret of [RW, RO, PASSWORD, ROTATED, "wrong-token-0123456789", "not-her-password"])
      expect(everything).not.toContain(secret);
  });
});
