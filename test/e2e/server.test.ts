import { createClient } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobServiceDefinition } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { PodServiceDefinition } from "../../src/gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { VolumeServiceDefinition } from "../../src/gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { WatchServiceDefinition } from "../../src/gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** Methods later issues build; until then they answer UNIMPLEMENTED with a fixed message. */
const NOT_YET = {
  JobService: [
    "ReplaceJob",
    "PatchJob",
    "RestartJob",
    "GetWorkflowEvents",
    "ListJobUpdates",
    "GetReplaceJobDiff",
  ],
  WatchService: Object.values(WatchServiceDefinition.methods).map((m) => m.name),
};

describe("the server", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("registers all 21 JobService methods, 15 of them built", () => {
    const all = Object.values(JobServiceDefinition.methods).map((m) => m.name);
    expect(all).toHaveLength(21);
    const built = all.filter((m) => !NOT_YET.JobService.includes(m)).sort();
    expect(built).toEqual([
      "AbortJobWorkflow",
      "CreateJob",
      "DeleteJob",
      "GetJob",
      "GetJobCache",
      "GetJobIDFromJobName",
      "ListJobs",
      "ListPods",
      "PauseJobWorkflow",
      "QueryJobs",
      "QueryPods",
      "RefreshJob",
      "ResumeJobWorkflow",
      "StartJob",
      "StopJob",
    ]);
  });

  it.each(Object.entries(PodServiceDefinition.methods).map(([key, m]) => [m.name, key] as const))(
    "has PodService.%s built: it validates the pod name",
    async (_name, key) => {
      const client = createClient(PodServiceDefinition, s.channel) as unknown as Record<
        string,
        (req: object) => Promise<unknown>
      >;
      expect(await failure(client[key]!({}))).toMatchObject({
        code: "INVALID_ARGUMENT",
        details: "pod_name.value: is required",
      });
    },
  );

  it.each(Object.entries(VolumeServiceDefinition.methods).map(([key, m]) => [m.name, key] as const))(
    "has VolumeService.%s built: it validates its id",
    async (name, key) => {
      const client = s.volume as unknown as Record<string, (req: object) => Promise<unknown>>;
      const field = name === "ListVolumes" ? "job_id.value" : "volume_id.value";
      expect(await failure(client[key]!({}))).toMatchObject({
        code: "INVALID_ARGUMENT",
        details: `${field}: is required`,
        fields: [field],
      });
    },
  );

  const definitions = {
    JobService: JobServiceDefinition,
    WatchService: WatchServiceDefinition,
  };
  const cases = Object.entries(NOT_YET).flatMap(([service, methods]) =>
    methods.map((m) => [service, m] as const),
  );

  it.each(cases)("answers %s.%s with UNIMPLEMENTED until it is built", async (service, method) => {
    const def = definitions[service as keyof typeof definitions];
    const client = createClient(def, s.channel) as unknown as Record<string, (req: object) => unknown>;
    const key = Object.entries(def.methods).find(([, m]) => m.name === method)![0];
    const m = def.methods[key as keyof typeof def.methods] as { responseStream: boolean };
    const call = m.responseStream
      ? (async () => {
          for await (const _ of client[key]!({}) as AsyncIterable<unknown>) {
            // drain
          }
        })()
      : (client[key]!({}) as Promise<unknown>);
    expect(await failure(call)).toMatchObject({
      code: "UNIMPLEMENTED",
      details: `${service}.${method} is not implemented yet`,
    });
  });

  it("reports SERVING through gRPC health checking", async () => {
    const health = createClient(HealthDefinition, s.channel);
    // 1 is SERVING in grpc.health.v1.HealthCheckResponse.ServingStatus.
    expect((await health.check({ service: "" })).status).toBe(1);
  });

  it("logs one line per call with method, status, duration and request id, echoing the id", async () => {
    let header: string | undefined;
    await s.respool.queryResourcePools(
      {},
      {
        metadata: new (await import("nice-grpc")).Metadata({ "x-request-id": "req-42" }),
        onHeader: (h) => {
          header = h.get("x-request-id");
        },
      },
    );
    await failure(s.respool.getResourcePool({ respoolId: { value: "missing" } }));
    const calls = s.logLines.filter((l) => l.msg === "call");
    const ok = calls.find((l) => l.requestId === "req-42");
    expect(ok).toMatchObject({
      method: "/peloton.api.v1alpha.respool.ResourcePoolService/QueryResourcePools",
      code: "OK",
    });
    expect(typeof ok?.ms).toBe("number");
    expect(header).toBe("req-42");
    const notFound = calls.filter((l) => l.code === "NOT_FOUND");
    expect(notFound).toHaveLength(1);
    expect(notFound[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never writes a secret value to the log", async () => {
    const { respoolId } = await s.respool.createResourcePool({
      spec: {
        name: "secret-pool",
        parent: { value: "root" },
        resources: [{ kind: "cpu", reservation: 1, limit: 1, share: 1 }],
      },
    });
    const secretText = "hunter2-very-secret-value";
    await s.job.createJob({
      spec: {
        name: "with-secret",
        instanceCount: 1,
        respoolId,
        defaultSpec: { containers: [{ name: "c", command: { value: "sleep 100" } }] },
      },
      secrets: [{ path: "/etc/pw", value: { data: Buffer.from(secretText) } }],
    });
    await failure(
      s.job.createJob({
        spec: { instanceCount: 0, respoolId },
        secrets: [{ path: "/etc/pw", value: { data: Buffer.from(secretText) } }],
      }),
    );
    const text = JSON.stringify(s.logLines);
    expect(text).not.toContain(secretText);
    expect(text).not.toContain(Buffer.from(secretText).toString("base64"));
  });
});
