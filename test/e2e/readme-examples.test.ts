import { readFileSync } from "node:fs";
import { createClient } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostServiceDefinition } from "../../src/gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { JobServiceDefinition } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { PodServiceDefinition } from "../../src/gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { ResourcePoolServiceDefinition } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { VolumeServiceDefinition } from "../../src/gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";

interface Example {
  service: string;
  method: string;
  body: unknown;
  line: string;
}

/** The README's `grpcurl … Service/Method` calls, in order, with their `-d` bodies. */
function readmeExamples(): Example[] {
  const readme = readFileSync("README.md", "utf8");
  const out: Example[] = [];
  for (const line of readme.split("\n")) {
    const m = /^(?:\$ )?grpcurl -plaintext (?:-d '(.*)' )?localhost:5392 ([\w.]+)\/(\w+)$/.exec(line.trim());
    if (m) out.push({ body: m[1] ? JSON.parse(m[1]) : {}, service: m[2]!, method: m[3]!, line });
  }
  return out;
}

const DEFINITIONS = [
  JobServiceDefinition,
  ResourcePoolServiceDefinition,
  HostServiceDefinition,
  PodServiceDefinition,
  VolumeServiceDefinition,
];

function call(s: TestServer, ex: Example): Promise<unknown> {
  const def = DEFINITIONS.find((d) => d.fullName === ex.service);
  if (!def) throw new Error(`README calls ${ex.service}, which this test does not know`);
  const [key, method] = Object.entries(def.methods).find(([, m]) => m.name === ex.method)!;
  const request = (method.requestType as { fromJSON(o: unknown): object }).fromJSON(ex.body);
  const client = createClient(def, s.channel) as unknown as Record<string, (r: object) => unknown>;
  const result = client[key]!(request);
  if (method.responseStream) {
    return (async () => {
      const all: unknown[] = [];
      for await (const r of result as AsyncIterable<unknown>) all.push(r);
      return all;
    })();
  }
  return result as Promise<unknown>;
}

describe("the README's grpcurl examples", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ PELOTON_SIM_HOSTS: "10" });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("succeed in order against a fresh server, except the one shown failing, which fails as shown", async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(9);
    for (const ex of examples) {
      // What a newcomer pasting these lines would see a moment later: the engine has caught up.
      await s.app.engine.idle();
      if (ex.line.trim().startsWith("$ ")) {
        const readme = readFileSync("README.md", "utf8");
        const message = /Message: (.*)/.exec(readme.slice(readme.indexOf(ex.line)))![1];
        expect(await failure(call(s, ex)), ex.line).toMatchObject({
          code: "INVALID_ARGUMENT",
          details: message,
        });
      } else {
        await expect(call(s, ex), ex.line).resolves.toBeDefined();
      }
    }
    const { jobInfo } = await s.job.getJob({ jobId: { value: "6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11" } });
    expect(jobInfo?.spec?.instanceCount).toBe(2);
    const { volumes } = await s.volume.listVolumes({
      jobId: { value: "6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11" },
    });
    expect(Object.values(volumes).map((v) => v.containerPath)).toEqual(["/data", "/data"]);
    const { records } = await s.job.queryJobs({ spec: { owner: "me" } });
    expect(records.map((r) => r.name)).toEqual(["hello"]);
    expect((await s.host.queryHosts({})).hostInfos.find((h) => h.hostname === "host-0009")?.state).toBe(2);
  });
});
