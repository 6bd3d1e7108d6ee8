import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { settle } from "../support/settle.js";
import { createReadmePool } from "./support/readme-pool.js";
import { CLI_TEST_TIMEOUT, ok, peloton } from "./support/run-peloton.js";

/** The README's job id. */
const HELLO = "6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11";
const CANARY = "0c6f38a5-8d9b-4b1e-a0f2-5d1e7c3b9a20";
const LIFECYCLE = "3a9d2c1e-5b4f-4e6a-8c7d-1f2e3d4c5b6a";

const scratch = mkdtempSync(join(tmpdir(), "peloton-cli-"));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe("peloton respool and job stateless against a real server", CLI_TEST_TIMEOUT, () => {
  let s: TestServer;
  const cli = (...args: string[]) => peloton(s.address, args);
  const jobState = async (id: string) => (await s.job.getJob({ jobId: { value: id } })).jobInfo?.status;

  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "10" });
    // The README's pool, for the jobs (the respool commands are tried on pools of their own).
    await createReadmePool(s.respool);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("creates, looks up, shows, updates, dumps and deletes resource pools from YAML specs", async () => {
    expect(await ok(cli("respool", "create", "/team", "examples/respool.yaml", "--id", "team"))).toBe(
      "Resource pool /team created (id team)\n",
    );
    const [lookupJson, lookup, got] = await Promise.all([
      ok(cli("--json", "respool", "lookup", "/team")),
      ok(cli("respool", "lookup", "/team")),
      ok(cli("respool", "get", "/team")),
    ]);
    expect(JSON.parse(lookupJson)).toEqual({ respoolId: { value: "team" } });
    expect(lookup).toBe("team\n");
    expect(parse(got).respool).toMatchObject({
      respool_id: { value: "team" },
      spec: {
        name: "team",
        resources: [
          { kind: "cpu", reservation: 4 },
          { kind: "memory", limit: 8192 },
        ],
      },
      path: { value: "/team" },
    });

    const canary = file("canary.yaml", "resources:\n  - {kind: cpu, reservation: 1, limit: 2, share: 1}\n");
    const created = await ok(cli("respool", "create", "/team/canary", canary));
    expect(created).toMatch(/^Resource pool \/team\/canary created \(id [0-9a-f-]{36}\)\n$/);
    const bigger = file(
      "canary-2.yaml",
      "description: more\nresources:\n  - {kind: cpu, reservation: 2, limit: 3, share: 1}\n",
    );
    expect(await ok(cli("respool", "update", "/team/canary", bigger))).toBe(
      "Resource pool /team/canary updated\n",
    );
    const [childrenJson, dumpYaml, dumpJson] = await Promise.all([
      ok(cli("--json", "respool", "get", "/team", "--children")),
      ok(cli("respool", "dump")),
      ok(cli("respool", "dump", "--format", "json")),
    ]);
    const children = JSON.parse(childrenJson).childRespools;
    expect(children.map((c: { spec: { description: string } }) => c.spec.description)).toEqual(["more"]);
    const paths = (dump: { respools: { path: { value: string } }[] }) =>
      dump.respools.map((p) => p.path.value).sort();
    expect(paths(parse(dumpYaml))).toEqual(["/", "/team", "/team/canary", "/web"]);
    expect(paths(JSON.parse(dumpJson))).toEqual(["/", "/team", "/team/canary", "/web"]);

    expect(await ok(cli("respool", "delete", "/team/canary"))).toBe("Resource pool /team/canary deleted\n");
    expect((await failure(s.respool.lookupResourcePoolID({ path: { value: "/team/canary" } }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("shows the server's validation message and exits with its class's code", async () => {
    const bad = file("bad-pool.yaml", "resources:\n  - {kind: cpu, reservation: 4, limit: 2, share: 1}\n");
    const r = await cli("respool", "create", "/team-bad", bad);
    expect(r.code).toBe(10);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^peloton: INVALID_ARGUMENT: spec\.resources\[0\]/);
    const missing = await cli("respool", "lookup", "/nowhere");
    expect(missing.code).toBe(11);
    expect(missing.stderr).toBe("peloton: NOT_FOUND: no resource pool at path /nowhere\n");
    const zero = file("zero.yaml", "name: x\ninstance_count: 0\n");
    const invalid = await cli("job", "stateless", "create", "/web", zero, "1");
    expect(invalid.code).toBe(10);
    expect(invalid.stderr).toBe("peloton: INVALID_ARGUMENT: spec.instance_count: must be at least 1\n");
  });

  it("creates the README's job from examples/job.yaml as it is, and lists, queries and shows it", async () => {
    expect(
      await ok(cli("job", "stateless", "create", "/web", "examples/job.yaml", "1", "--jobID", HELLO)),
    ).toBe(`Job ${HELLO} created (entity version 1-1-1)\n`);
    await settle(s, async () => (await jobState(HELLO))?.podStats.POD_STATE_RUNNING === 2);

    const [yaml, jsonText, summaryText, v1Text, listText, listJson] = await Promise.all([
      ok(cli("job", "stateless", "get", HELLO)),
      ok(cli("--json", "job", "stateless", "get", "hello")),
      ok(cli("-j", "job", "stateless", "get", HELLO, "--summaryonly")),
      ok(cli("-j", "job", "stateless", "get", HELLO, "--jobversion", "1-1-1")),
      ok(cli("job", "stateless", "list")),
      ok(cli("--json", "job", "stateless", "list")),
    ]);
    const got = parse(yaml);
    expect(got.job_info.spec).toMatchObject({
      name: "hello",
      instance_count: 2,
      respool_id: { value: "web" },
    });
    expect(got.job_info.status.state).toBe("JOB_STATE_RUNNING");
    const json = JSON.parse(jsonText);
    expect(json.jobInfo.jobId.value).toBe(HELLO);
    expect(json.jobInfo.status.podStats).toEqual({ POD_STATE_RUNNING: 2 });
    const summary = JSON.parse(summaryText);
    expect(summary.jobInfo).toBeUndefined();
    expect(summary.summary.instanceCount).toBe(2);
    expect(JSON.parse(v1Text).jobInfo.spec.name).toBe("hello");

    const table = listText.split("\n");
    expect(table[0]).toMatch(/^ID +NAME +OWNER +STATE +GOAL +RUNNING +VERSION +WORKFLOW +CREATED$/);
    expect(table.find((l) => l.startsWith(HELLO))).toMatch(
      new RegExp(`^${HELLO} +hello +me +RUNNING +RUNNING +2/2 +1-1-1 +UPDATE SUCCEEDED +\\d{4}-`),
    );
    expect(JSON.parse(listJson).jobs.map((j: { name: string }) => j.name)).toContain("hello");

    // --timerange counts days back from the CLI's clock (the wall clock); the server's is simulated.
    const days = Math.ceil((Date.now() - Date.parse(json.jobInfo.status.creationTime)) / 86_400_000);
    const mine = ["job", "stateless", "query", "--owner", "me"];
    const [query, killed, sorted, within, before] = await Promise.all([
      ok(cli(...mine, "-l", "app=hello", "-s", "running", "-r", "/web")),
      ok(cli(...mine, "-s", "killed")),
      ok(cli("-j", ...mine, "-p", "name", "-a", "ASC", "-n", "5")),
      ok(cli("-j", ...mine, "-d", String(days + 1))),
      ok(cli("-j", ...mine, "-d", String(Math.max(0, days - 2)))),
    ]);
    expect(query).toMatch(new RegExp(`\\n${HELLO} +hello .*\\n1 of 1 \\(offset 0\\)\\n$`));
    expect(killed).toBe("No jobs.\n0 of 0 (offset 0)\n");
    expect(JSON.parse(sorted).records).toHaveLength(1);
    expect(JSON.parse(sorted).pagination).toMatchObject({ limit: 5, total: 1 });
    expect(JSON.parse(within).records).toHaveLength(1);
    expect(JSON.parse(before).records).toBeUndefined();

    const [podsText, oneJson, cache, refreshed, refreshedJson] = await Promise.all([
      ok(cli("job", "stateless", "list-pods", "hello")),
      ok(cli("-j", "job", "stateless", "list-pods", HELLO, "--range", "1:2")),
      ok(cli("job", "stateless", "cache", HELLO)),
      ok(cli("job", "stateless", "refresh", HELLO)),
      ok(cli("-j", "job", "stateless", "refresh", HELLO)),
    ]);
    const pods = podsText.trimEnd().split("\n");
    expect(pods[0]).toMatch(/^POD +STATE +GOAL +RUN +HOST +HEALTH +MESSAGE$/);
    expect(pods.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${HELLO}-0 +RUNNING +RUNNING +1 +host-\\d{4} +-`)),
      expect.stringMatching(new RegExp(`^${HELLO}-1 +RUNNING +RUNNING +1 +host-\\d{4} +-`)),
    ]);
    expect(JSON.parse(oneJson).pods.map((p: { podName: { value: string } }) => p.podName.value)).toEqual([
      `${HELLO}-1`,
    ]);
    expect(parse(cache).status.state).toBe("JOB_STATE_RUNNING");
    expect(refreshed).toBe(`Job ${HELLO} refreshed\n`);
    expect(JSON.parse(refreshedJson)).toEqual({});
  });

  it("stops, starts and deletes with entity versions; a stale one is ABORTED (exit 12)", async () => {
    const spec = file(
      "lifecycle.yaml",
      "name: lifecycle\ninstance_count: 2\ndefault_spec:\n  containers:\n    - name: main\n      command: {value: sleep 3600}\n      resource: {cpu_limit: 0.25, mem_limit_mb: 64}\n",
    );
    await ok(cli("job", "stateless", "create", "/web", spec, "0", "--jobID", LIFECYCLE));
    await settle(s, async () => (await jobState(LIFECYCLE))?.podStats.POD_STATE_RUNNING === 2);
    expect(await ok(cli("job", "stateless", "stop", LIFECYCLE, "1-1-1"))).toBe(
      `Job ${LIFECYCLE} stopping (entity version 1-2-1)\n`,
    );
    const stale = await cli("job", "stateless", "stop", LIFECYCLE, "1-1-1");
    expect(stale.code).toBe(12);
    expect(stale.stderr).toMatch(/^peloton: ABORTED: unexpected entity version/);
    await settle(s, async () => (await jobState(LIFECYCLE))?.state === JobState.JOB_STATE_KILLED);
    expect(JSON.parse(await ok(cli("-j", "job", "stateless", "start", "lifecycle")))).toEqual({
      version: { value: "1-3-1" },
    });
    await settle(s, async () => (await jobState(LIFECYCLE))?.podStats.POD_STATE_RUNNING === 2);
    const running = await cli("job", "stateless", "delete", LIFECYCLE);
    expect(running.code).toBe(12);
    expect(running.stderr).toMatch(/^peloton: (FAILED_PRECONDITION|ABORTED): /);
    expect(await ok(cli("job", "stateless", "delete", LIFECYCLE, "1-3-1", "--force"))).toBe(
      `Job ${LIFECYCLE} deleted\n`,
    );
    await settle(
      s,
      async () =>
        (await failure(s.job.getJob({ jobId: { value: LIFECYCLE } })).catch(() => null))?.code ===
        "NOT_FOUND",
    );
    const gone = await cli("job", "stateless", "get", LIFECYCLE);
    expect(gone.code).toBe(11);
    expect(gone.stderr).toMatch(/^peloton: NOT_FOUND: /);
    const noName = await cli("job", "stateless", "get", "nobody-has-this-name");
    expect(noName.code).toBe(11);
  });

  it("creates a paused job in batches (the README's canary) and steers its workflow", async () => {
    const spec = file(
      "canary-job.yaml",
      "name: canary\ninstance_count: 4\ndefault_spec:\n  containers:\n    - name: main\n      command: {value: sleep 3600}\n      resource: {cpu_limit: 0.25, mem_limit_mb: 64}\n",
    );
    const created = await ok(
      cli(
        "-j",
        "job",
        "stateless",
        "create",
        "/web",
        spec,
        "1",
        "-i",
        CANARY,
        "--start-paused",
        "--opaque-data",
        "ticket-1",
        "--maxInstanceRetries",
        "3",
        "--max-tolerable-instance-failures",
        "2",
      ),
    );
    expect(JSON.parse(created)).toEqual({ jobId: { value: CANARY }, version: { value: "1-1-1" } });
    const info = await s.job.getJob({ jobId: { value: CANARY } });
    // --maxInstanceRetries is Peloton's spelling of --max-instance-retries.
    expect(info.workflowInfo?.updateSpec).toMatchObject({
      batchSize: 1,
      startPaused: true,
      maxInstanceRetries: 3,
      maxTolerableInstanceFailures: 2,
    });
    expect(info.workflowInfo?.opaqueData?.data).toBe("ticket-1");
    expect(await ok(cli("job", "stateless", "workflow", "resume", CANARY, "1-1-1"))).toBe(
      `Workflow of job ${CANARY} resumed (entity version 1-1-2)\n`,
    );
    expect(JSON.parse(await ok(cli("-j", "job", "stateless", "workflow", "pause", "canary")))).toEqual({
      version: { value: "1-1-3" },
    });
    expect(
      await ok(cli("job", "stateless", "workflow", "abort", CANARY, "1-1-3", "--opaque-data", "enough")),
    ).toBe(`Workflow of job ${CANARY} aborted (entity version 1-1-4)\n`);
    const after = await s.job.getJob({ jobId: { value: CANARY } });
    expect(after.workflowInfo?.status?.state).toBe(5);
  });
});
