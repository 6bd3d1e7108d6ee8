// The image's build, without a container engine (there is none here): the Dockerfile's build and
// deps stages are replayed (their COPY lines from a fresh `git clone` of this repository, their RUN
// lines in a shell), the runtime stage's COPY lines assemble its tree, and CMD runs from it, with
// production dependencies only, and answers a gRPC call and the HEALTHCHECK. What this cannot check: the base image,
// tini, the USER and the apt-get line. Commit first: the clone sees committed files only.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { envPairs, execForm, parseDockerfile, replayCopy, type Stage } from "../support/dockerfile.js";

const run = promisify(execFile);
const repo = process.cwd();
const stages = parseDockerfile(join(repo, "Dockerfile"));
const stage = (name: string): Stage => {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`Dockerfile has no stage ${name}`);
  return s;
};

/** Replays a stage's COPY and RUN lines into `dir`; returns the ENV it sets. */
async function replay(s: Stage, dir: string, context: string, stageDirs: Record<string, string>) {
  const env: Record<string, string> = {};
  mkdirSync(dir, { recursive: true });
  for (const { keyword, args } of s.instructions) {
    if (keyword === "COPY") replayCopy(args, { context, workdir: dir, stageDirs });
    if (keyword === "ENV") Object.assign(env, envPairs(args));
    if (keyword === "RUN" && s.name !== "runtime") {
      await run("sh", ["-c", args], {
        cwd: dir,
        // The registry's packages come from npm's cache when it has them.
        env: { ...process.env, ...env, npm_config_prefer_offline: "true" },
        maxBuffer: 64 * 1024 * 1024,
      });
    }
  }
  return env;
}

describe("the image's stages, replayed from a fresh clone", () => {
  const temp = mkdtempSync(join(tmpdir(), "peloton-image-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("build with dev dependencies, run on production dependencies only, answer gRPC", async () => {
    const context = join(temp, "context");
    await run("git", ["clone", "--quiet", "--no-hardlinks", repo, context]);
    const dirs = { build: join(temp, "build"), deps: join(temp, "deps"), runtime: join(temp, "runtime") };
    await replay(stage("build"), dirs.build, context, dirs);
    // Right after a build, npm's prestart finds nothing stale and builds nothing.
    const again = await run(process.execPath, ["scripts/build.mjs", "--if-stale"], { cwd: dirs.build });
    expect(again.stdout).toBe("");
    await replay(stage("deps"), dirs.deps, context, dirs);
    const env = await replay(stage("runtime"), dirs.runtime, context, dirs);

    const modules = join(dirs.runtime, "node_modules");
    for (const dev of ["typescript", "tsx", "vitest", "ts-proto", "@bufbuild/buf"])
      expect(existsSync(join(modules, dev)), dev).toBe(false);
    expect(readdirSync(modules)).toContain("@grpc");
    expect(existsSync(join(dirs.runtime, "src"))).toBe(false);

    const cmd = execForm(stage("runtime").instructions.find((i) => i.keyword === "CMD")!.args);
    const data = join(temp, "data");
    const child = spawn(cmd[0]!, cmd.slice(1), {
      cwd: dirs.runtime,
      env: {
        PATH: process.env.PATH ?? "",
        ...env,
        PELOTON_LISTEN_ADDRESS: "127.0.0.1:0",
        PELOTON_METRICS_ADDRESS: "127.0.0.1:0",
        PELOTON_DATA_DIR: data,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr.on("data", (c) => stderr.push(String(c)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let buffer = "";
        child.stdout.on("data", (chunk) => {
          buffer += String(chunk);
          const lines = buffer.split("\n");
          buffer = lines.pop() ?? "";
          for (const l of lines) {
            const line = JSON.parse(l) as { msg?: string; port?: number };
            if (line.msg === "peloton v1alpha server listening") resolve(line.port!);
          }
        });
        exited.then((code) => reject(new Error(`server exited (${code}): ${stderr.join("")}`)));
      });
      const channel = createChannel(`127.0.0.1:${port}`);
      const { respool } = await createClient(ResourcePoolServiceDefinition, channel).getResourcePool({
        respoolId: { value: "root" },
      });
      channel.close();
      expect(respool?.path?.value).toBe("/");
      // The image's HEALTHCHECK command, from the runtime tree, against this server.
      const check = stage("runtime").instructions.find((i) => i.keyword === "HEALTHCHECK")!.args;
      const probe = execForm(check.slice(check.indexOf("CMD ") + 4));
      await run(probe[0]!, probe.slice(1), {
        cwd: dirs.runtime,
        env: { PATH: process.env.PATH ?? "", ...env, PELOTON_LISTEN_ADDRESS: `127.0.0.1:${port}` },
      });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 420_000);
});
