import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JobSpec, JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import {
  Constraint_Type,
  LabelConstraint_Condition,
  LabelConstraint_Kind,
} from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { OrderBy_Order } from "../../src/gen/peloton/api/v1alpha/query/query.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";

const container = (name = "main", command = "sleep 1000") => ({
  name,
  command: { value: command },
  resource: { cpuLimit: 0.5, memLimitMb: 64, diskLimitMb: 10 },
});

describe("JobService (stored jobs)", () => {
  let s: TestServer;
  let leaf: string;
  let other: string;
  const jobSpec = (over: DeepPartial<JobSpec> = {}): DeepPartial<JobSpec> => ({
    name: "web",
    owner: "alice",
    instanceCount: 3,
    respoolId: { value: leaf },
    defaultSpec: { containers: [container()] },
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer({ PELOTON_MAX_INSTANCES: "1000" });
    const cpu = [{ kind: "cpu", reservation: 10, limit: 10, share: 1 }];
    await s.respool.createResourcePool({
      respoolId: { value: "org" },
      spec: { name: "org", parent: { value: "root" }, resources: cpu },
    });
    leaf = (
      await s.respool.createResourcePool({ spec: { name: "web", parent: { value: "org" }, resources: cpu } })
    ).respoolId!.value;
    other = (
      await s.respool.createResourcePool({
        spec: { name: "batch", parent: { value: "root" }, resources: cpu },
      })
    ).respoolId!.value;
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("creates a job at version 1-1-1 with goal RUNNING; its pods wait for a reservation that fits", async () => {
    const id = randomUUID();
    const createdAt = new Date(s.clock.now()).toISOString();
    const created = await s.job.createJob({
      jobId: { value: id },
      spec: jobSpec({
        labels: [{ key: "app", value: "web" }],
        instanceSpec: { 1: { containers: [container("other", "true")] } },
      }),
    });
    expect(created).toEqual({ jobId: { value: id }, version: { value: "1-1-1" } });
    // The pool reserves no memory, and non-preemptible pods only use reservations.
    await s.app.engine.idle();
    const { jobInfo } = await s.job.getJob({ jobId: { value: id } });
    expect(jobInfo?.status).toMatchObject({
      state: JobState.JOB_STATE_PENDING,
      desiredState: JobState.JOB_STATE_RUNNING,
      version: { value: "1-1-1" },
      creationTime: createdAt,
      podStats: { POD_STATE_PENDING: 3 },
    });
    expect(jobInfo?.spec).toMatchObject({
      name: "web",
      instanceCount: 3,
      respoolId: { value: leaf },
      revision: { version: "1" },
      labels: [{ key: "app", value: "web" }],
    });
    expect(jobInfo?.spec?.instanceSpec[1]?.containers[0]?.command?.value).toBe("true");
    expect(jobInfo?.spec?.defaultSpec?.containers[0]?.resource?.cpuLimit).toBe(0.5);

    const { summary, jobInfo: none } = await s.job.getJob({ jobId: { value: id }, summaryOnly: true });
    expect(none).toBeUndefined();
    expect(summary).toMatchObject({ jobId: { value: id }, name: "web", owner: "alice", instanceCount: 3 });

    const v1 = await s.job.getJob({ jobId: { value: id }, version: { value: "1-1-1" } });
    expect(v1.jobInfo?.spec?.name).toBe("web");
    expect(await failure(s.job.getJob({ jobId: { value: id }, version: { value: "2-1-1" } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.job.getJob({ jobId: { value: id }, version: { value: "v2" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["version.value"],
    });
  });

  it("keeps secrets but never returns their values", async () => {
    const { jobId } = await s.job.createJob({
      spec: jobSpec({ name: "secretive" }),
      secrets: [{ secretId: { value: "db-password" }, path: "/etc/db", value: { data: Buffer.from("pw") } }],
    });
    const { secrets } = await s.job.getJob({ jobId });
    expect(secrets).toEqual([{ secretId: { value: "db-password" }, path: "/etc/db", value: undefined }]);
  });

  it("refuses a taken id, a non-UUID id, a missing pool, the root and a non-leaf pool", async () => {
    const id = randomUUID();
    await s.job.createJob({ jobId: { value: id }, spec: jobSpec() });
    expect(await failure(s.job.createJob({ jobId: { value: id }, spec: jobSpec() }))).toMatchObject({
      code: "ALREADY_EXISTS",
    });
    expect(await failure(s.job.createJob({ jobId: { value: "job-1" }, spec: jobSpec() }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["job_id.value"],
    });
    expect(await failure(s.job.createJob({ spec: jobSpec({ respoolId: { value: "nope" } }) }))).toMatchObject(
      { code: "NOT_FOUND" },
    );
    expect(await failure(s.job.createJob({ spec: jobSpec({ respoolId: { value: "root" } }) }))).toMatchObject(
      {
        code: "INVALID_ARGUMENT",
        fields: ["spec.respool_id"],
      },
    );
    expect(await failure(s.job.createJob({ spec: jobSpec({ respoolId: { value: "org" } }) }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec.respool_id"],
    });
  });

  const label = (kind: LabelConstraint_Kind, key: string) => ({
    type: Constraint_Type.CONSTRAINT_TYPE_LABEL,
    labelConstraint: {
      kind,
      condition: LabelConstraint_Condition.LABEL_CONSTRAINT_CONDITION_EQUAL,
      label: { key, value: "x" },
    },
  });

  it.each<[string, DeepPartial<JobSpec>, string]>([
    ["no instances", { instanceCount: 0 }, "spec.instance_count"],
    ["more instances than the server allows", { instanceCount: 1001 }, "spec.instance_count"],
    ["no pool", { respoolId: undefined }, "spec.respool_id"],
    ["no containers", { defaultSpec: { containers: [] } }, "spec.default_spec.containers"],
    [
      "an instance spec left without containers",
      { defaultSpec: undefined, instanceSpec: { 0: { containers: [container()] } } },
      "spec.default_spec.containers",
    ],
    [
      "an instance spec out of range",
      { instanceSpec: { 3: { containers: [container()] } } },
      "spec.instance_spec[3]",
    ],
    [
      "a container without a command",
      { defaultSpec: { containers: [{ name: "c" }] } },
      "spec.default_spec.containers[0].command.value",
    ],
    [
      "duplicate container names",
      { defaultSpec: { containers: [container("a"), container("a")] } },
      "spec.default_spec.containers[1].name",
    ],
    [
      "a negative cpu limit",
      { defaultSpec: { containers: [{ ...container(), resource: { cpuLimit: -1 } }] } },
      "spec.default_spec.containers[0].resource.cpu_limit",
    ],
    [
      "duplicate port names",
      {
        defaultSpec: {
          containers: [
            { ...container("a"), ports: [{ name: "http", value: 80 }] },
            { ...container("b"), ports: [{ name: "http" }] },
          ],
        },
      },
      "spec.default_spec.containers[1].ports[0].name",
    ],
    [
      "a label constraint without a kind",
      {
        defaultSpec: {
          containers: [container()],
          constraint: label(LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_INVALID, "zone"),
        },
      },
      "spec.default_spec.constraint.label_constraint.kind",
    ],
    [
      "an AND constraint with no members",
      {
        defaultSpec: {
          containers: [container()],
          constraint: { type: Constraint_Type.CONSTRAINT_TYPE_AND, andConstraint: {} },
        },
      },
      "spec.default_spec.constraint.and_constraint.constraints",
    ],
    [
      "an OR member with an empty label key",
      {
        defaultSpec: {
          containers: [container()],
          constraint: {
            type: Constraint_Type.CONSTRAINT_TYPE_OR,
            orConstraint: { constraints: [label(LabelConstraint_Kind.LABEL_CONSTRAINT_KIND_HOST, "")] },
          },
        },
      },
      "spec.default_spec.constraint.or_constraint.constraints[0].label_constraint.label.key",
    ],
    [
      "a controller default spec for many instances",
      { defaultSpec: { containers: [container()], controller: true } },
      "spec.default_spec.controller",
    ],
    [
      "a controller pod other than instance 0",
      { instanceSpec: { 2: { containers: [container()], controller: true } } },
      "spec.instance_spec[2].controller",
    ],
  ])("refuses %s with INVALID_ARGUMENT naming the field", async (_what, over, field) => {
    const before = (await s.job.queryJobs({})).pagination?.total;
    const f = await failure(s.job.createJob({ spec: jobSpec(over) }));
    expect(f).toMatchObject({ code: "INVALID_ARGUMENT", fields: [field] });
    expect((await s.job.queryJobs({})).pagination?.total).toBe(before);
  });

  it("accepts a controller pod as instance 0", async () => {
    const { jobId } = await s.job.createJob({
      spec: jobSpec({ instanceSpec: { 0: { containers: [container()], controller: true } } }),
    });
    expect(jobId?.value).toBeTruthy();
  });

  it.each([
    ["a relative path", [{ path: "etc/x", value: { data: Buffer.from("v") } }], "secrets[0].path"],
    ["an empty value", [{ path: "/etc/x", value: { data: Buffer.alloc(0) } }], "secrets[0].value.data"],
    [
      "a path twice",
      [
        { path: "/etc/x", value: { data: Buffer.from("v") } },
        { path: "/etc/x", value: { data: Buffer.from("w") } },
      ],
      "secrets[1].path",
    ],
  ])("refuses secrets with %s", async (_what, secrets, field) => {
    expect(await failure(s.job.createJob({ spec: jobSpec(), secrets }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: [field],
    });
  });

  it("finds job ids by name, newest first, and NOT_FOUND for none", async () => {
    const first = (await s.job.createJob({ spec: jobSpec({ name: "dup-name" }) })).jobId!.value;
    s.clock.advance(1000);
    const second = (await s.job.createJob({ spec: jobSpec({ name: "dup-name" }) })).jobId!.value;
    const { jobId } = await s.job.getJobIDFromJobName({ jobName: "dup-name" });
    expect(jobId.map((j) => j.value)).toEqual([second, first]);
    expect(await failure(s.job.getJobIDFromJobName({ jobName: "no-such-job" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.job.getJobIDFromJobName({ jobName: "" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["job_name"],
    });
  });

  it("answers NOT_FOUND for an unknown job and INVALID_ARGUMENT for none", async () => {
    expect(await failure(s.job.getJob({ jobId: { value: randomUUID() } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.job.getJob({}))).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["job_id"] });
  });

  it("streams every job through ListJobs", async () => {
    const own = [
      (await s.job.createJob({ spec: jobSpec({ name: "listed" }) })).jobId!.value,
      (await s.job.createJob({ spec: jobSpec({ name: "listed" }) })).jobId!.value,
    ];
    const total = (await s.job.queryJobs({})).pagination!.total;
    const seen: string[] = [];
    for await (const batch of s.job.listJobs({})) seen.push(...batch.jobs.map((j) => j.jobId!.value));
    expect(seen).toEqual(expect.arrayContaining(own));
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  describe("QueryJobs", () => {
    let a: string;
    let b: string;
    let c: string;
    beforeAll(async () => {
      s.clock.advance(60_000);
      a = (
        await s.job.createJob({
          spec: jobSpec({
            name: "q-frontend",
            owner: "qowner",
            labels: [{ key: "q", value: "1" }],
            description: "Checkout UI",
          }),
        })
      ).jobId!.value;
      s.clock.advance(60_000);
      b = (
        await s.job.createJob({
          spec: jobSpec({ name: "q-backend", owner: "qowner", labels: [{ key: "q", value: "1" }] }),
        })
      ).jobId!.value;
      s.clock.advance(60_000);
      c = (
        await s.job.createJob({
          spec: jobSpec({ name: "q-batch", owner: "other", respoolId: { value: other } }),
        })
      ).jobId!.value;
    });
    const ids = async (spec: Parameters<TestServer["job"]["queryJobs"]>[0]["spec"]) =>
      (await s.job.queryJobs({ spec })).records.map((r) => r.jobId!.value);

    it("filters by labels, keywords, owner, name, pool path, states and time", async () => {
      expect(await ids({ labels: [{ key: "q", value: "1" }] })).toEqual([b, a]);
      expect(await ids({ keywords: ["checkout"] })).toEqual([a]);
      expect(await ids({ owner: "qowner", name: "front" })).toEqual([a]);
      expect(await ids({ respool: { value: "/batch" } })).toEqual([c]);
      expect(await ids({ respool: { value: "/org" }, owner: "qowner" })).toEqual([b, a]);
      await s.app.engine.idle();
      expect(await ids({ owner: "qowner", jobStates: [JobState.JOB_STATE_RUNNING] })).toEqual([]);
      expect(await ids({ owner: "qowner", jobStates: [JobState.JOB_STATE_PENDING] })).toEqual([b, a]);
      const created = (await s.job.getJob({ jobId: { value: b } })).jobInfo!.status!.creationTime;
      expect(await ids({ name: "q-", creationTimeRange: { min: new Date(created) } })).toEqual([c, b]);
      expect(await ids({ name: "q-", completionTimeRange: { min: new Date(0) } })).toEqual([]);
    });

    it("pages and orders, reporting the total", async () => {
      const page = await s.job.queryJobs({
        spec: {
          name: "q-",
          pagination: {
            offset: 1,
            limit: 1,
            orderBy: [{ order: OrderBy_Order.ORDER_BY_ASC, property: { value: "name" } }],
          },
        },
      });
      expect(page.records.map((r) => r.name)).toEqual(["q-batch"]);
      expect(page.pagination).toEqual({ offset: 1, limit: 1, total: 3 });
      expect(page.spec?.name).toBe("q-");
      const capped = await s.job.queryJobs({ spec: { name: "q-", pagination: { maxLimit: 2 } } });
      expect(capped.pagination?.total).toBe(2);
      expect(capped.records).toHaveLength(2);
      const byCreation = await ids({
        name: "q-",
        pagination: {
          orderBy: [{ order: OrderBy_Order.ORDER_BY_ASC, property: { value: "runtime.creationTime" } }],
        },
      });
      expect(byCreation).toEqual([a, b, c]);
    });

    it("refuses unknown order properties, bad states and unknown pools precisely", async () => {
      expect(
        await failure(
          s.job.queryJobs({ spec: { pagination: { orderBy: [{ property: { value: "color" } }] } } }),
        ),
      ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["spec.pagination.order_by[0].property"] });
      expect(
        await failure(s.job.queryJobs({ spec: { jobStates: [JobState.JOB_STATE_INVALID] } })),
      ).toMatchObject({
        code: "INVALID_ARGUMENT",
        fields: ["spec.job_states[0]"],
      });
      expect(await failure(s.job.queryJobs({ spec: { respool: { value: "/nowhere" } } }))).toMatchObject({
        code: "NOT_FOUND",
      });
      expect(
        await failure(
          s.job.queryJobs({ spec: { creationTimeRange: { min: new Date(2000), max: new Date(1000) } } }),
        ),
      ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["spec.creation_time_range"] });
    });
  });
});
