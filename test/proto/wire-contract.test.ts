// Proves that proto/ compiles to exactly the v1alpha wire contract in test/fixtures/wire-numbers.json.
// Reads gen/descriptor-set.binpb, which `npm run gen` writes.
import { existsSync, readFileSync } from "node:fs";
import { clone, create, fromBinary } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  type FileDescriptorSet,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { compareDescriptors, type WireFixture } from "./compare-descriptors.js";

const descriptorSetPath = new URL("../../gen/descriptor-set.binpb", import.meta.url);
const fixturePath = new URL("../fixtures/wire-numbers.json", import.meta.url);
const MESOS = "mesos/v1/mesos.proto";
const options = { subsetFiles: [MESOS] };

function loadSet(): FileDescriptorSet {
  if (!existsSync(descriptorSetPath)) {
    throw new Error(`${descriptorSetPath.pathname} is missing; run \`npm run gen\` first`);
  }
  return fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath));
}

const set = loadSet();
const fixture = JSON.parse(readFileSync(fixturePath, "utf8")) as WireFixture;

/** A deep copy of the descriptor set with one file changed by `edit`. */
function mutated(fileName: string, edit: (file: FileDescriptorProto) => void): FileDescriptorSet {
  const copy = clone(FileDescriptorSetSchema, set);
  const file = copy.file.find((f) => f.name === fileName);
  if (file === undefined) throw new Error(`${fileName} is not in the descriptor set`);
  edit(file);
  return copy;
}

function message(file: FileDescriptorProto, path: string) {
  const [first, ...rest] = path.split(".");
  let msg = file.messageType.find((m) => m.name === first);
  for (const part of rest) msg = msg?.nestedType.find((m) => m.name === part);
  if (msg === undefined) throw new Error(`message ${path} not found in ${file.name}`);
  return msg;
}

function field(file: FileDescriptorProto, messagePath: string, name: string) {
  const f = message(file, messagePath).field.find((x) => x.name === name);
  if (f === undefined) throw new Error(`field ${messagePath}.${name} not found`);
  return f;
}

describe("wire-numbers fixture", () => {
  it("holds the counts wire-numbers.md states for the 14 Peloton files", () => {
    const peloton = Object.entries(fixture.files).filter(([path]) => path.startsWith("peloton/"));
    const messages = peloton.flatMap(([, f]) => Object.values(f.messages));
    const methods = peloton.flatMap(([, f]) => Object.values(f.services).flat());
    expect(peloton).toHaveLength(14);
    expect(messages).toHaveLength(156);
    expect(messages.filter((m) => m.map_entry)).toHaveLength(6);
    expect(peloton.flatMap(([, f]) => Object.keys(f.enums))).toHaveLength(16);
    expect(peloton.flatMap(([, f]) => Object.keys(f.services))).toHaveLength(6);
    expect(methods).toHaveLength(44);
    expect(messages.flatMap((m) => m.fields)).toHaveLength(412);
    const streaming = methods.filter((m) => m.server_streaming).map((m) => m.name);
    expect(streaming.sort()).toEqual(["ListJobs", "ListPods", "Watch"]);
    expect(methods.filter((m) => m.client_streaming)).toEqual([]);
  });
});

describe("compiled protos", () => {
  it("match the wire contract exactly", () => {
    const diffs = compareDescriptors(set, fixture, options);
    expect(diffs, `differences:\n${diffs.join("\n")}`).toEqual([]);
  });

  it("include google/protobuf/timestamp.proto and every other dependency, for reflection", () => {
    const names = new Set(set.file.map((f) => f.name));
    expect(names.has("google/protobuf/timestamp.proto")).toBe(true);
    const unresolved = set.file.flatMap((f) =>
      f.dependency.filter((d) => !names.has(d)).map((d) => `${f.name} -> ${d}`),
    );
    expect(unresolved).toEqual([]);
  });

  it("declare the whole mesos.v1 closure, not only the types the fixture lists", () => {
    const mesos = set.file.find((f) => f.name === MESOS);
    if (mesos === undefined) throw new Error(`${MESOS} is not in the descriptor set`);
    const all = (msgs: readonly DescriptorProto[]): DescriptorProto[] =>
      msgs.flatMap((m) => [m, ...all(m.nestedType)]);
    const messages = all(mesos.messageType);
    // 57 closure messages plus Value, which only namespaces Value.Type/Scalar/Range/Ranges/Set.
    expect(messages).toHaveLength(58);
    expect(mesos.enumType.length + messages.reduce((n, m) => n + m.enumType.length, 0)).toBe(17);
    expect(field(mesos, "Resource", "role").defaultValue).toBe("*");
    expect(field(mesos, "NetworkInfo.IPAddress", "protocol").defaultValue).toBe("IPv4");
  });
});

describe("compareDescriptors", () => {
  it("reports a changed field number", () => {
    const changed = mutated("peloton/api/v1alpha/pod/pod.proto", (f) => {
      field(f, "ContainerSpec", "executor").number = 9;
    });
    expect(compareDescriptors(changed, fixture, options)).toEqual([
      "peloton/api/v1alpha/pod/pod.proto: message ContainerSpec field executor: number is 9, expected 8",
    ]);
  });

  it("reports a missing field", () => {
    const changed = mutated("peloton/api/v1alpha/pod/pod.proto", (f) => {
      const status = message(f, "PodStatus");
      status.field = status.field.filter((x) => x.name !== "desiredHost");
    });
    expect(compareDescriptors(changed, fixture, options)).toEqual([
      "peloton/api/v1alpha/pod/pod.proto: message PodStatus: field desiredHost missing",
    ]);
  });

  it("reports a flipped streaming flag", () => {
    const changed = mutated("peloton/api/v1alpha/job/stateless/svc/stateless_svc.proto", (f) => {
      const method = f.service[0]?.method.find((m) => m.name === "ListPods");
      if (method === undefined) throw new Error("ListPods not found");
      method.serverStreaming = false;
    });
    expect(compareDescriptors(changed, fixture, options)).toEqual([
      "peloton/api/v1alpha/job/stateless/svc/stateless_svc.proto: service JobService method ListPods: server_streaming is false, expected true",
    ]);
  });

  it("reports an extra field in a Peloton message", () => {
    const changed = mutated("peloton/api/v1alpha/peloton.proto", (f) => {
      message(f, "JobID").field.push(
        create(FieldDescriptorProtoSchema, {
          name: "extra",
          number: 2,
          label: FieldDescriptorProto_Label.OPTIONAL,
          type: FieldDescriptorProto_Type.STRING,
        }),
      );
    });
    expect(compareDescriptors(changed, fixture, options)).toEqual([
      "peloton/api/v1alpha/peloton.proto: message JobID: unexpected field extra=2",
    ]);
  });

  it("reports a changed proto2 label in a listed mesos message", () => {
    const changed = mutated(MESOS, (f) => {
      field(f, "AgentID", "value").label = FieldDescriptorProto_Label.OPTIONAL;
    });
    expect(compareDescriptors(changed, fixture, options)).toEqual([
      "mesos/v1/mesos.proto: message AgentID field value: label is optional, expected required",
    ]);
  });

  it("ignores mesos types the fixture does not list, but not extra Peloton messages", () => {
    const mesosExtra = mutated(MESOS, (f) => {
      f.messageType.push(create(DescriptorProtoSchema, { name: "Unlisted" }));
    });
    expect(compareDescriptors(mesosExtra, fixture, options)).toEqual([]);

    const pelotonExtra = mutated("peloton/api/v1alpha/query/query.proto", (f) => {
      f.messageType.push(create(DescriptorProtoSchema, { name: "Spare" }));
    });
    expect(compareDescriptors(pelotonExtra, fixture, options)).toEqual([
      "peloton/api/v1alpha/query/query.proto: unexpected message Spare",
    ]);
  });
});
