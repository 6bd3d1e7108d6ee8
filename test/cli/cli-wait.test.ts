import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import { type Clients, clients, killAll, type Server, startServer, stop } from "../support/server-process.js";
import { createReadmePool } from "./support/readme-pool.js";
import { CLI_TEST_TIMEOUT, peloton } from "./support/run-peloton.js";
import { hasTmux, TmuxPane } from "./support/tmux.js";

/*
 * --wait follows a job on the wall clock, so the server runs as a process of its own with real
 * time (simulated pods take about 0.6 s to come up) and the CLI's waits end by themselves,
 * bounded by --wait-timeout. Watch is not built yet: these waits poll GetJob.
 */

const scratch = mkdtempSync(join(tmpdir(), "peloton-cli-wait-"));
const spec = (name: string, instances: number, command: string, extra = "") => {
  const path = join(scratch, `${name}.yaml`);
  writeFileSync(
    path,
    `name: ${name}\ninstance_count: ${instances}\ndefault_spec:\n  containers:\n    - name: main\n      command: {value: "${command}"}\n      resource: {cpu_limit: 0.1, mem_limit_mb: 32}\n${extra}`,
  );
  return path;
};

const lines = (text: string) => text.trimEnd().split("\n");

describe("--wait against a server process on its own clock", CLI_TEST_TIMEOUT, () => {
  let db: ServerDatabase;
  let server: Server;
  let api: Clients;
  let address: string;
  const cli = (...args: string[]) => peloton(address, args);

  beforeAll(async () => {
    db = await serverBackends()[0]!.create();
    if (db.target.kind !== "pglite") throw new Error("expected PGlite");
    server = await startServer({
      PELOTON_DATA_DIR: db.target.dataDir,
      PELOTON_SIM_TIME_FACTOR: "1",
      PELOTON_SIM_HOSTS: "4",
    });
    address = `127.0.0.1:${server.port}`;
    api = clients(server.port);
    await createReadmePool(api.respool);
  });
  afterAll(async () => {
    api?.channel.close();
    if (server) await stop(server);
    await killAll();
    await db?.dispose();
  });

  it("follows a create in batches of one to SUCCEEDED, a line per change without a terminal, and exits 0", async () => {
    const r = await cli(
      "job",
      "stateless",
      "create",
      "/web",
      spec("batches", 3, "sleep 3600"),
      "1",
      "--wait",
      "--wait-timeout",
      "60s",
    );
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^Job [0-9a-f-]{36} created \(entity version 1-1-1\)$/);
    expect(out[1]).toMatch(/^Waiting for the create workflow of job [0-9a-f-]{36}$/);
    const progress = out.slice(2, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const line of progress)
      expect(line).toMatch(/^\[\d+:\d\d\] (job \w+ \(waiting|[A-Z_]+: \d done, \d failed, \d remaining)/);
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.some((l) => / batch [0-2] \| /.test(l))).toBe(true);
    expect(progress.at(-1)).toMatch(/SUCCEEDED: 3 done, 0 failed, 0 remaining \| pods RUNNING 3$/);
    expect(out.at(-1)).toMatch(/^\[\d+:\d\d\] create workflow SUCCEEDED: 3 done$/);
  });

  it("exits 3 when the create workflow FAILS, with the outcome as the last line", async () => {
    const failing = spec("failing", 2, "exit 1", "  restart_policy: {max_failures: 1}\n");
    const r = await cli(
      "job",
      "stateless",
      "create",
      "/web",
      failing,
      "2",
      "--max-tolerable-instance-failures",
      "1",
      "--wait",
      "--wait-timeout",
      "60s",
    );
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(lines(r.stdout).at(-1)).toMatch(/^\[\d+:\d\d\] create workflow FAILED: 0 done, 2 failed$/);
    expect(r.stderr).toBe("");
  });

  it("exits 4 when --wait-timeout passes first (a paused create), telling where the job stood", async () => {
    const r = await cli(
      "job",
      "stateless",
      "create",
      "/web",
      spec("paused", 1, "sleep 3600"),
      "1",
      "--start-paused",
      "--wait",
      "--wait-timeout",
      "4s",
    );
    expect(r.code).toBe(4);
    expect(lines(r.stdout).at(-1)).toMatch(
      /^\[0:0[4-9]\] create workflow: timed out after 0:04 \(last: PAUSED: 0 done, 0 failed, 1 remaining\)$/,
    );
  });

  it("waits for a stop and a start; under --json stdout is the reply alone and progress goes to stderr", async () => {
    const created = await cli(
      "-j",
      "job",
      "stateless",
      "create",
      "/web",
      spec("toggle", 2, "sleep 3600"),
      "0",
      "--wait",
    );
    expect(created.code, created.stderr).toBe(0);
    const { jobId, version } = JSON.parse(created.stdout);
    expect(version.value).toBe("1-1-1");
    expect(lines(created.stderr).at(-1)).toMatch(/create workflow SUCCEEDED: 2 done$/);
    const stopped = await cli("job", "stateless", "stop", jobId.value, "1-1-1", "--wait");
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(lines(stopped.stdout).at(-1)).toMatch(/^\[\d+:\d\d\] KILLED: every pod ended$/);
    const started = await cli("-j", "job", "stateless", "start", jobId.value, "--wait");
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual({ version: { value: "1-3-1" } });
    expect(lines(started.stderr).at(-1)).toMatch(/^\[\d+:\d\d\] RUNNING: 2\/2 pods running$/);
  });

  it.skipIf(!hasTmux && !process.env.CI)(
    `draws the progress in place on a real terminal (tmux), then the outcome${hasTmux ? "" : " (skipped: no tmux)"}`,
    async () => {
      const pane = new TmuxPane();
      const file = spec("onscreen", 3, "sleep 3600");
      await pane.start(
        120,
        20,
        `env PELOTON_JOBMGR=${address} ${process.execPath} --import tsx src/cli/main.ts job stateless create /web ${file} 1 --wait --wait-timeout 60s`,
      );
      try {
        // Read the screen until the command has ended (bounded by the CLI's own --wait-timeout).
        const screens: string[] = [];
        const deadline = performance.now() + 90_000;
        while (TmuxPane.exitStatus(screens.at(-1) ?? "") === undefined && performance.now() < deadline) {
          const screen = await pane.screen();
          if (screen !== screens.at(-1)) screens.push(screen);
        }
        const last = screens.at(-1) ?? "";
        expect(TmuxPane.exitStatus(last), last).toBe(0);
        const bar = /create workflow \[[█░]{24}\] (\d)\/3 \| \d+:\d\d \| /;
        // While it ran: a bar with the workflow's state and batch, the pods under it.
        const during = screens.filter((s) =>
          /ROLLING_FORWARD: \d done, \d failed, \d remaining, batch \d/.test(s),
        );
        expect(during.length, screens.join("\n----\n")).toBeGreaterThan(0);
        expect(during[0]).toMatch(bar);
        expect(during[0]).toMatch(/\npods [A-Z]+ \d/);
        // At the end: one bar (redrawn in place, not a line per change), full, then the outcome.
        expect(last.split("\n")).toEqual([
          expect.stringMatching(/^Job [0-9a-f-]{36} created \(entity version 1-1-1\)$/),
          expect.stringMatching(/^Waiting for the create workflow of job [0-9a-f-]{36}$/),
          expect.stringMatching(
            /^create workflow \[█{24}\] 3\/3 \| \d+:\d\d \| SUCCEEDED: 3 done, 0 failed, 0 remaining$/,
          ),
          "pods RUNNING 3",
          "create workflow SUCCEEDED: 3 done",
          "peloton-exit=0",
        ]);
      } finally {
        await pane.close();
      }
    },
  );
});
