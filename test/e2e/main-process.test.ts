import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../src/app/package-root.js";
import { SETTING_NAMES, SETTINGS, type Setting } from "../../src/app/settings.js";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";

const MAIN = join(process.cwd(), "src", "app", "main.ts");

interface Run {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  stdoutText(): string;
  exited: Promise<number | null>;
  /** Resolves with the first log line matching `pred`. */
  waitFor(pred: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function run(env: Record<string, string>, args: string[] = []): Run {
  // `node --import tsx`, not the tsx CLI, whose signal relay to its child sometimes ends it
  // with 130 on SIGINT (see test/support/server-process.ts).
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PELOTON_METRICS_ADDRESS: "off",
      ...env,
    },
  });
  const lines: Record<string, unknown>[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: {
    pred: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let buffer = "";
  child.stdout!.on("data", (chunk) => {
    buffer += String(chunk);
    stdout.push(String(chunk));
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const part of parts) {
      if (!part.trim().startsWith("{")) continue;
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
    stdoutText: () => stdout.join(""),
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

  it("prints every setting with its default on --help, and the version on --version", async () => {
    const help = run({}, ["--help"]);
    expect(await help.exited).toBe(0);
    const text = help.stdoutText();
    for (const name of SETTING_NAMES) {
      const line = text.split("\n").find((l) => l.trimStart().startsWith(`${name} `));
      expect(line, name).toBeDefined();
      const d = (SETTINGS[name] as Setting).default;
      if (d !== undefined) expect(line).toContain(`[${d}]`);
    }
    const version = run({}, ["--version"]);
    expect(await version.exited).toBe(0);
    expect(version.stdoutText()).toBe(`${packageVersion()}\n`);
  });

  it("starts among Kubernetes service links and unknown names, warns about those and logs its configuration", async () => {
    const dir = mkdtempSync(join(tmpdir(), "peloton-main-"));
    dirs.push(dir);
    const r = run({
      PELOTON_HOST: "::",
      PELOTON_PORT: "0",
      PELOTON_DATA_DIR: dir,
      PELOTON_SERVICE_HOST: "10.96.0.12",
      PELOTON_SERVICE_PORT: "5392",
      PELOTON_SERVICE_PORT_GRPC: "5392",
      PELOTON_PORT_5392_TCP: "tcp://10.96.0.12:5392",
      PELOTON_PORT_5392_TCP_PROTO: "tcp",
      PELOTON_PORT_5392_TCP_PORT: "5392",
      PELOTON_PORT_5392_TCP_ADDR: "10.96.0.12",
      PELOTON_POSTGRES_SERVICE_HOST: "10.96.0.13",
      PELOTON_POSTGRES_PORT: "tcp://10.96.0.13:5432",
      PELOTON_DATADIR: "/tmp/x",
      PELOTON_ADDR: "localhost:5392",
    });
    const { port } = (await r.waitFor((l) => l.msg === "peloton v1alpha server listening")) as {
      port: number;
    };
    const warnings = r.lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        "unknown setting PELOTON_ADDR ignored; see --help",
        "unknown setting PELOTON_DATADIR ignored (did you mean PELOTON_DATA_DIR?); see --help",
      ]),
    );
    const links = r.lines.find((l) => l.msg === "Kubernetes service-link variables ignored");
    expect(links?.variables).toHaveLength(9);
    const configuration = r.lines.find((l) => l.msg === "configuration") as { config: { listen: string } };
    expect(configuration.config.listen).toBe("[::]:0");
    // `::` takes IPv4 clients too.
    const channel = createChannel(`127.0.0.1:${port}`);
    const { respool } = await createClient(ResourcePoolServiceDefinition, channel).getResourcePool({
      respoolId: { value: "root" },
    });
    expect(respool?.path?.value).toBe("/");
    channel.close();
    r.child.kill("SIGTERM");
    expect(await r.exited).toBe(0);
  });

  it("serves on the embedded database, alone, keeps data across restarts and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "peloton-main-"));
    dirs.push(dir);
    const env = { PELOTON_HOST: "127.0.0.1", PELOTON_PORT: "0", PELOTON_DATA_DIR: dir };

    const first = run(env);
    const { port, pid } = (await first.waitFor((l) => l.msg === "peloton v1alpha server listening")) as {
      port: number;
      pid: number;
    };
    // PGlite serves one process: a second server on the same folder refuses to start.
    const second = run(env);
    expect(await second.exited).toBe(1);
    expect(second.stderr.join("")).toContain(`is in use by another server (pid ${pid}`);

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

    const restarted = run(env);
    const { port: port2 } = (await restarted.waitFor(
      (l) => l.msg === "peloton v1alpha server listening",
    )) as {
      port: number;
    };
    const channel2 = createChannel(`127.0.0.1:${port2}`);
    const { respool: kept } = await createClient(ResourcePoolServiceDefinition, channel2).getResourcePool({
      respoolId: { value: "kept" },
    });
    expect(kept?.path?.value).toBe("/kept");
    channel2.close();
    restarted.child.kill("SIGINT");
    expect(await restarted.exited).toBe(0);
  });
});
