import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import { killAll, type Server, startServer, stop } from "../support/server-process.js";
import { CLI_TEST_TIMEOUT, peloton } from "./support/run-peloton.js";

/** The README's CLI section: from its heading to the next one. */
function cliSection(): string {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("## The peloton CLI");
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

interface Line {
  readonly args: string[];
  /** For a line shown failing (`$ npx peloton …`), the stderr the README shows under it. */
  readonly stderr?: string;
}

function cliLines(section: string): Line[] {
  const lines = section.split("\n");
  const out: Line[] = [];
  lines.forEach((line, i) => {
    const m = /^(\$ )?npx peloton (.*)$/.exec(line.trim());
    if (m) out.push({ args: m[2]!.split(/\s+/), stderr: m[1] ? `${lines[i + 1]}\n` : undefined });
  });
  return out;
}

describe("the README's CLI section", CLI_TEST_TIMEOUT, () => {
  let db: ServerDatabase;
  let server: Server;
  const address = () => `127.0.0.1:${server.port}`;

  beforeAll(async () => {
    db = await serverBackends()[0]!.create();
    if (db.target.kind !== "pglite") throw new Error("expected PGlite");
    server = await startServer({ PELOTON_DATA_DIR: db.target.dataDir, PELOTON_SIM_HOSTS: "10" });
  });
  afterAll(async () => {
    if (server) await stop(server);
    await killAll();
    await db?.dispose();
  });

  it("runs every `npx peloton` line in order on a fresh server: each succeeds, the one shown failing fails as shown", async () => {
    const lines = cliLines(cliSection());
    expect(lines.length).toBeGreaterThanOrEqual(14);
    for (const { args, stderr } of lines) {
      const r = await peloton(address(), args);
      const line = `npx peloton ${args.join(" ")}`;
      if (stderr) {
        expect(r.code, line).toBe(11);
        expect(r.stderr, line).toBe(stderr);
      } else {
        expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      }
    }
    const summary = JSON.parse(
      (await peloton(address(), ["-j", "job", "stateless", "get", "hello", "--summaryonly"])).stdout,
    );
    expect(summary.summary.status).toMatchObject({
      state: "JOB_STATE_RUNNING",
      podStats: { POD_STATE_RUNNING: 2 },
    });
  });

  it("shows a buf curl call that works", async () => {
    const m = /^npx buf curl (.*) http:\/\/localhost:5392\/(\S+)$/m.exec(cliSection());
    expect(m).not.toBeNull();
    const args = [...m![1]!.matchAll(/'[^']*'|\S+/g)].map(([a]) => a.replace(/^'(.*)'$/, "$1"));
    await peloton(address(), ["respool", "create", "/web", "examples/respool.yaml"]);
    const { stdout } = await promisify(execFile)(join("node_modules", ".bin", "buf"), [
      "curl",
      ...args,
      `http://${address()}/${m![2]}`,
    ]);
    expect(JSON.parse(stdout).respoolId.value).toMatch(/^[0-9a-f-]{36}$/);
  });
});
