import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ReservationType,
  ResourcePoolSpec,
  ResourceSpec,
} from "../../src/gen/peloton/api/v1alpha/respool/respool.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { failure } from "../support/grpc-errors.js";
import { startTestServer, type TestServer } from "../support/server.js";

const res = (kind: string, reservation: number, limit: number, share = 1): DeepPartial<ResourceSpec> => ({
  kind,
  reservation,
  limit,
  share,
});

const spec = (
  name: string,
  parent: string,
  resources: DeepPartial<ResourceSpec>[] = [],
): DeepPartial<ResourcePoolSpec> => ({
  name,
  parent: { value: parent },
  resources,
});

/** Every pool's path, sorted. */
const paths = async (s: TestServer) =>
  (await s.respool.queryResourcePools({})).respools.map((p) => p.path!.value).sort();

/**
 * A top-level pool `id` (cpu 100 of 200, memory 1000 of 2000) with one child, `compute` (cpu 40 of
 * 200, share 2), whose id the server makes: the tree a test works on. Each test makes its own,
 * or reads the one made for the whole suite, which no test changes.
 */
async function tree(s: TestServer, id: string, extra: DeepPartial<ResourcePoolSpec> = {}) {
  await s.respool.createResourcePool({
    respoolId: { value: id },
    spec: { ...spec(id, "root", [res("cpu", 100, 200), res("memory", 1000, 2000)]), ...extra },
  });
  const { respoolId } = await s.respool.createResourcePool({
    spec: spec("compute", id, [res("cpu", 40, 200, 2)]),
  });
  return respoolId!.value;
}

describe("ResourcePoolService", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    // The tree the refusals below are checked against.
    await tree(s, "infra");
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("has a root pool at / that cannot be created, updated or deleted", async () => {
    const { respool } = await s.respool.getResourcePool({ respoolId: { value: "root" } });
    expect(respool?.path?.value).toBe("/");
    expect(respool?.parent).toBeUndefined();
    expect((await s.respool.lookupResourcePoolID({ path: { value: "/" } })).respoolId?.value).toBe("root");
    expect(
      await failure(s.respool.createResourcePool({ respoolId: { value: "root" }, spec: spec("x", "root") })),
    ).toMatchObject({
      code: "ALREADY_EXISTS",
    });
    expect(
      await failure(
        s.respool.updateResourcePool({ respoolId: { value: "root" }, spec: spec("root", "root") }),
      ),
    ).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(await failure(s.respool.deleteResourcePool({ respoolId: { value: "root" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });

  it("creates a tree with client-chosen and generated ids, and reports parent, children, path and usages", async () => {
    const before = await paths(s);
    const child = await tree(s, "lab", { owningTeam: "sre" });
    expect(child).toMatch(/^[0-9a-f-]{36}$/);

    const { respool, childRespools } = await s.respool.getResourcePool({
      respoolId: { value: "lab" },
      includeChildPools: true,
    });
    expect(respool).toMatchObject({
      respoolId: { value: "lab" },
      parent: { value: "root" },
      children: [{ value: child }],
      path: { value: "/lab" },
      spec: { name: "lab", owningTeam: "sre", parent: { value: "root" }, revision: { version: "1" } },
    });
    expect(respool?.usages.map((u) => [u.kind, u.allocation, u.slack])).toEqual([
      ["cpu", 0, 0],
      ["memory", 0, 0],
      ["disk", 0, 0],
      ["gpu", 0, 0],
    ]);
    expect(childRespools.map((c) => c.path?.value)).toEqual(["/lab/compute"]);
    expect(childRespools[0]?.spec?.resources[0]).toMatchObject({
      kind: "cpu",
      reservation: 40,
      limit: 200,
      share: 2,
    });

    const lookup = await s.respool.lookupResourcePoolID({ path: { value: "/lab/compute/" } });
    expect(lookup.respoolId?.value).toBe(child);
    // QueryResourcePools lists every pool: the ones there before, and these two.
    expect(await paths(s)).toEqual([...before, "/lab", "/lab/compute"].sort());
  });

  it.each([
    ["an unknown kind", spec("p", "infra", [res("network", 1, 1)]), "spec.resources[0].kind"],
    ["a kind twice", spec("p", "infra", [res("cpu", 1, 1), res("cpu", 1, 1)]), "spec.resources[1].kind"],
    ["a negative reservation", spec("p", "infra", [res("cpu", -1, 1)]), "spec.resources[0].reservation"],
    ["a negative share", spec("p", "infra", [res("cpu", 1, 1, -2)]), "spec.resources[0].share"],
    ["a limit below the reservation", spec("p", "infra", [res("cpu", 5, 4)]), "spec.resources[0].limit"],
    ["a limit above the parent's", spec("p", "infra", [res("cpu", 1, 201)]), "spec.resources[0].limit"],
    ["a kind the parent lacks", spec("p", "infra", [res("gpu", 1, 1)]), "spec.resources[0].kind"],
    [
      "siblings reserving more than the parent",
      spec("p", "infra", [res("cpu", 61, 100)]),
      "spec.resources[0].reservation",
    ],
    ["a taken sibling name", spec("compute", "infra"), "spec.name"],
    ["an empty name", spec("", "infra"), "spec.name"],
    ["a name with a slash", spec("a/b", "infra"), "spec.name"],
    ["no parent", { name: "p" }, "spec.parent"],
    [
      "a controller limit over 100",
      { ...spec("p", "infra"), controllerLimit: { maxPercent: 101 } },
      "spec.controller_limit.max_percent",
    ],
    [
      "a slack limit below 0",
      { ...spec("p", "infra"), slackLimit: { maxPercent: -1 } },
      "spec.slack_limit.maxPercent",
    ],
    [
      "an unknown reservation type",
      spec("p", "infra", [{ ...res("cpu", 1, 1), type: 9 as ReservationType }]),
      "spec.resources[0].type",
    ],
  ])("refuses %s with INVALID_ARGUMENT naming the field", async (_what, badSpec, field) => {
    const f = await failure(s.respool.createResourcePool({ spec: badSpec }));
    expect(f.code).toBe("INVALID_ARGUMENT");
    expect(f.fields).toEqual([field]);
    expect(f.details.startsWith(`${field}: `)).toBe(true);
  });

  it("refuses a missing parent with NOT_FOUND and a missing spec with INVALID_ARGUMENT", async () => {
    expect(await failure(s.respool.createResourcePool({ spec: spec("p", "nope") }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(s.respool.createResourcePool({}))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["spec"],
    });
  });

  it("updates a pool's spec, keeps its parent, and renames its subtree", async () => {
    await tree(s, "ops");
    const before = await paths(s);
    await s.respool.updateResourcePool({
      respoolId: { value: "ops" },
      spec: spec("platform", "root", [res("cpu", 100, 300), res("memory", 1000, 2000)]),
    });
    const { respool } = await s.respool.getResourcePool({ respoolId: { value: "ops" } });
    expect(respool?.spec?.revision?.version).toBe("2");
    expect(respool?.path?.value).toBe("/platform");
    const renamed = before.filter((p) => !p.startsWith("/ops")).concat("/platform", "/platform/compute");
    expect(await paths(s)).toEqual(renamed.sort());

    expect(
      await failure(
        s.respool.updateResourcePool({ respoolId: { value: "ops" }, spec: spec("platform", "other") }),
      ),
    ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["spec.parent"] });
    expect(
      await failure(
        s.respool.updateResourcePool({
          respoolId: { value: "ops" },
          spec: spec("platform", "root", [res("cpu", 10, 300)]),
        }),
      ),
    ).toMatchObject({ code: "INVALID_ARGUMENT", fields: ["spec.resources[0].reservation"] });
    expect(
      await failure(s.respool.updateResourcePool({ respoolId: { value: "gone" }, spec: spec("x", "root") })),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("looks up paths strictly", async () => {
    expect(await failure(s.respool.lookupResourcePoolID({ path: { value: "platform" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      fields: ["path.value"],
    });
    expect(await failure(s.respool.lookupResourcePoolID({ path: { value: "/nowhere" } }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("deletes leaves; refuses pools with children (INVALID_ARGUMENT) or jobs (FAILED_PRECONDITION)", async () => {
    await tree(s, "depot");
    const { respoolId: leaf } = await s.respool.createResourcePool({
      spec: spec("busy", "depot", [res("cpu", 1, 1)]),
    });
    await s.job.createJob({
      spec: {
        name: "j",
        instanceCount: 1,
        respoolId: leaf,
        defaultSpec: { containers: [{ name: "c", command: { value: "sleep 1" } }] },
      },
    });
    expect(await failure(s.respool.deleteResourcePool({ respoolId: leaf }))).toMatchObject({
      code: "FAILED_PRECONDITION",
    });
    expect(
      await failure(s.respool.createResourcePool({ spec: spec("under-busy", leaf!.value) })),
    ).toMatchObject({
      code: "FAILED_PRECONDITION",
    });
    expect(await failure(s.respool.deleteResourcePool({ respoolId: { value: "depot" } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(await failure(s.respool.deleteResourcePool({ respoolId: { value: "gone" } }))).toMatchObject({
      code: "NOT_FOUND",
    });
    const { respoolId: empty } = await s.respool.createResourcePool({ spec: spec("empty", "depot") });
    await s.respool.deleteResourcePool({ respoolId: empty });
    expect(await failure(s.respool.getResourcePool({ respoolId: empty }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
