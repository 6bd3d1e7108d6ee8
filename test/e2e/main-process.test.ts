import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";

const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");
const MAIN = join(process.cwd(), "src", "app", "main.ts");

interface Run {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the first log line matching `pred`. */
  waitFor(pred: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(TSX, [MAIN], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const waiters: {
    pred: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let buffer = "";
  child.stdout!.on("data", (chunk) => {
    buffer += String(chunk);
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const part of parts) {
      if (!part.trim()) continue;
      const line = JSON.parse(part) as Record<string, unknown>;
      lines.push(line);
      for (const w of waiters.filter((w) => w.pred(line))) w.resolve(line);
    }
  });
  child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    stderr,
    exited,
    waitFor: (pred) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(pred);
        if (seen) return resolve(seen);
        waiters.push({ pred, resolve });
        exited.then((code) => reject(new Error(`server exited (${code}) first: ${stderr.join("")}`)));
      }),
  };
}

describe("npm start (src/app/main.ts)", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("refuses a malformed setting at start with a one-line reason", async () => {
    const r = run({ PELOTON_PORT: "not-a-port" });
    expect(await r.exited).toBe(2);
    expect(r.stderr.join("").trim()).toBe(
      "peloton: bad configuration: PELOTON_PORT=not-a-port: must be a whole number",
    );
  });

  it("refuses an unknown PELOTON_ setting", async () => {
    const r = run({ PELOTON_DATADIR: "/tmp/x" });
    expect(await r.exited).toBe(2);
    expect(r.stderr.join("")).toContain("PELOTON_DATADIR: unknown setting");
  });

  it("serves on the embedded database, keeps data across restarts and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "peloton-main-"));
    dirs.push(dir);
    const env = { PELOTON_HOST: "127.0.0.1", PELOTON_PORT: "0", PELOTON_DATA_DIR: dir };

    const first = run(env);
    const { port } = (await first.waitFor((l) => l.msg === "peloton v1alpha server listening")) as {
      port: number;
    };
    const channel = createChannel(`127.0.0.1:${port}`);
    const respool = createClient(ResourcePoolServiceDefinition, channel);
    await respool.createResourcePool({
      respoolId: { value: "kept" },
      spec: { name: "kept", parent: { value: "root" } },
    });
    channel.close();
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.lines.some((l) => l.msg === "stopped")).toBe(true);

    const second = run(env);
    const { port: port2 } = (await second.waitFor((l) => l.msg === "peloton v1alpha server listening")) as {
      port: number;
    };
    const channel2 = createChannel(`127.0.0.1:${port2}`);
    const { respool: kept } = await createClient(ResourcePoolServiceDefinition, channel2).getResourcePool({
      respoolId: { value: "kept" },
    });
    expect(kept?.path?.value).toBe("/kept");
    channel2.close();
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
