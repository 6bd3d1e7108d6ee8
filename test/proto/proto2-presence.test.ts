// Proves that the generated code for proto2 files keeps proto2 field presence on the wire, as
// scripts/proto2-presence.mjs patches it in after ts-proto: a required field is always written, an optional
// one whenever it is set (even to its default) and never when it is not. Wire bytes are judged by a neutral
// decoder, @bufbuild/protobuf reflection over gen/descriptor-set.binpb, not by the generated decode.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createFileRegistry,
  type DescField,
  type DescFile,
  type DescMessage,
  fromBinary,
  isFieldSet,
  type Message,
  ScalarType,
} from "@bufbuild/protobuf";
import { Edition, FeatureSet_FieldPresence, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgentID,
  CommandInfo,
  ContainerInfo,
  ContainerInfo_Type,
  ExecutorInfo,
  NetworkInfo_IPAddress,
  NetworkInfo_Protocol,
} from "../../src/gen/mesos/v1/mesos.js";
import { JobSpec } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const descriptorSetPath = join(root, "gen", "descriptor-set.binpb");
if (!existsSync(descriptorSetPath))
  throw new Error(`${descriptorSetPath} is missing; run \`npm run gen\` first`);
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath)));

// The generated MessageFns, used untyped: the test walks every message of every proto2 file.
// biome-ignore lint/suspicious/noExplicitAny: generated messages are plain objects of many shapes
type Obj = Record<string, any>;
interface Fns {
  encode(message: Obj): { finish(): Uint8Array };
  decode(bytes: Uint8Array): Obj;
  fromPartial(object: Obj): Obj;
  fromJSON(object: unknown): Obj;
  toJSON(message: Obj): unknown;
}

const proto2Files = [...registry.files].filter((f) => f.edition === Edition.EDITION_PROTO2);
const modules = new Map<DescFile, Record<string, unknown>>();
for (const file of proto2Files) {
  modules.set(file, await import(pathToFileURL(join(root, "src", "gen", `${file.name}.ts`)).href));
}

/** ts-proto's name for a message: nested names joined with "_". */
const tsName = (m: DescMessage): string =>
  m.parent === undefined ? m.name : `${tsName(m.parent)}_${m.name}`;
/** ts-proto's property name for a field (its snakeToCamel). */
const tsField = (f: DescField): string =>
  f.name.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, "");

function fns(m: DescMessage): Fns {
  const mod = modules.get(m.file);
  const found = mod?.[tsName(m)] as Fns | undefined;
  if (found === undefined) throw new Error(`no generated MessageFns ${tsName(m)} for ${m.typeName}`);
  return found;
}

const allMessages = (ms: readonly DescMessage[]): DescMessage[] =>
  ms.flatMap((m) => [m, ...allMessages(m.nestedMessages)]);
const messages = proto2Files.flatMap((f) => allMessages(f.messages));

const isRequired = (f: DescField) => f.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED;
/** The fields whose presence is at stake: singular scalar, enum, string and bytes fields. */
const presenceFields = (m: DescMessage) =>
  m.fields.filter((f) => (f.fieldKind === "scalar" || f.fieldKind === "enum") && f.oneof === undefined);
const optionalFields = (m: DescMessage) => presenceFields(m).filter((f) => !isRequired(f));

/** A field's proto2 default in ts-proto's representation (int64 as string, bytes as Buffer). */
function defaultOf(f: DescField): unknown {
  if (f.fieldKind === "enum") return f.getDefaultValue() ?? f.enum.values[0]?.number;
  if (f.fieldKind !== "scalar") throw new Error(`${f.toString()} is not a scalar`);
  const d = f.getDefaultValue();
  switch (f.scalar) {
    case ScalarType.STRING:
      return d ?? "";
    case ScalarType.BOOL:
      return d ?? false;
    case ScalarType.BYTES:
      return Buffer.from((d as Uint8Array | undefined) ?? []);
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return String(d ?? 0);
    default:
      return d ?? 0;
  }
}

/** `m` with its required message fields filled in (recursively), so that it is a valid proto2 message. */
function complete(m: DescMessage, base: Obj = fns(m).fromPartial({})): Obj {
  for (const f of m.fields) {
    if (f.fieldKind === "message" && isRequired(f)) base[tsField(f)] = complete(f.message);
  }
  return base;
}

/** Required fields missing anywhere in a reflected message, as paths. */
function missingRequired(desc: DescMessage, msg: Message, path = desc.typeName): string[] {
  const out: string[] = [];
  for (const f of desc.fields) {
    const set = isFieldSet(msg, f);
    if (isRequired(f) && !set) out.push(`${path}.${f.name}`);
    if (f.fieldKind === "message" && set) {
      out.push(...missingRequired(f.message, (msg as Obj)[f.localName] as Message, `${path}.${f.name}`));
    }
  }
  return out;
}

const reflect = (m: DescMessage, bytes: Uint8Array) => fromBinary(m, bytes) as Message & Obj;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const presence = (m: DescMessage, bytes: Uint8Array) => {
  const msg = reflect(m, bytes);
  return Object.fromEntries(presenceFields(m).map((f) => [f.name, isFieldSet(msg, f)]));
};

describe("proto2 files in the descriptor set", () => {
  it("are mesos/v1/mesos.proto, with required and optional scalar fields to check", () => {
    expect(proto2Files.map((f) => f.name)).toEqual(["mesos/v1/mesos"]);
    expect(messages).toHaveLength(58);
    const fields = messages.flatMap(presenceFields);
    expect(fields.filter(isRequired)).toHaveLength(38);
    expect(fields.filter((f) => !isRequired(f))).toHaveLength(55);
  });
});

describe.each(messages.map((m) => [m.typeName, m] as const))("%s", (_, m) => {
  const Fns = fns(m);

  it("puts every required field and every optional scalar set to its default on the wire", () => {
    const msg = complete(m);
    for (const f of presenceFields(m)) {
      if (isRequired(f)) expect(msg[tsField(f)], `${f.name} from fromPartial({})`).toEqual(defaultOf(f));
      else msg[tsField(f)] = defaultOf(f);
    }
    const bytes = Fns.encode(msg).finish();
    const decoded = reflect(m, bytes);
    for (const f of presenceFields(m)) {
      expect(isFieldSet(decoded, f), `${m.typeName}.${f.name} on the wire`).toBe(true);
    }
    expect(missingRequired(m, decoded)).toEqual([]);
    // Decoding and re-encoding, directly or through JSON (the job store keeps specs as JSON), keeps them.
    expect(hex(Fns.encode(Fns.decode(bytes)).finish())).toBe(hex(bytes));
    expect(hex(Fns.encode(Fns.fromJSON(Fns.toJSON(msg))).finish())).toBe(hex(bytes));
  });

  it("leaves an optional scalar that is not set off the wire, even after decode, fromJSON or fromPartial", () => {
    const bytes = Fns.encode(complete(m)).finish();
    const absent = Object.fromEntries(optionalFields(m).map((f) => [f.name, false]));
    const required = Object.fromEntries(
      presenceFields(m)
        .filter(isRequired)
        .map((f) => [f.name, true]),
    );
    expect(presence(m, bytes)).toEqual({ ...absent, ...required });
    for (const f of optionalFields(m)) {
      expect(Fns.decode(bytes)[tsField(f)], `decoded ${f.name}`).toBeUndefined();
      expect(Fns.fromJSON({})[tsField(f)], `fromJSON ${f.name}`).toBeUndefined();
    }
    expect(hex(Fns.encode(Fns.decode(bytes)).finish())).toBe(hex(bytes));
    expect(hex(Fns.encode(Fns.fromJSON(Fns.toJSON(Fns.decode(bytes)))).finish())).toBe(hex(bytes));
    expect(hex(Fns.encode(complete(m, Fns.fromPartial(Fns.decode(bytes)))).finish())).toBe(hex(bytes));
  });
});

describe("generated encode for mesos.v1", () => {
  it("writes ContainerInfo.type (required) even as DOCKER, its first and default value", () => {
    const bytes = ContainerInfo.encode({
      ...ContainerInfo.fromPartial({}),
      type: ContainerInfo_Type.DOCKER,
    }).finish();
    expect(hex(bytes)).toBe("0801"); // tag 0x08 = field 1, varint; value 1 = DOCKER
  });

  it("writes AgentID.value (required) even when empty", () => {
    expect(hex(AgentID.encode({ value: "" }).finish())).toBe("0a00");
  });

  it("writes an optional field explicitly set to its [default], and leaves it out when unset", () => {
    const ipv4 = NetworkInfo_IPAddress.encode({ protocol: NetworkInfo_Protocol.IPv4 }).finish();
    expect(hex(ipv4)).toBe("0801");
    expect(hex(NetworkInfo_IPAddress.encode(NetworkInfo_IPAddress.fromPartial({})).finish())).toBe("");
    expect(hex(CommandInfo.encode(CommandInfo.fromPartial({ shell: true, user: "" })).finish())).toBe(
      "30012a00",
    );
    expect(hex(CommandInfo.encode(CommandInfo.fromPartial({ value: "true" })).finish())).toBe("1a0474727565");
  });

  it("reads an absent required enum as its first value (ContainerInfo.type = DOCKER), like proto2", () => {
    expect(ContainerInfo.decode(new Uint8Array()).type).toBe(ContainerInfo_Type.DOCKER);
    expect(ContainerInfo.fromPartial({}).type).toBe(ContainerInfo_Type.DOCKER);
    expect(ContainerInfo.fromJSON({}).type).toBe(ContainerInfo_Type.DOCKER);
    expect(reflect(registry.getMessage("mesos.v1.ContainerInfo")!, new Uint8Array()).type).toBe(1);
  });

  it("still writes repeated and message fields: every element, every message that is set", () => {
    const executor = ExecutorInfo.encode(
      ExecutorInfo.fromPartial({ executorId: { value: "" }, resources: [{}, {}], command: {} }),
    ).finish();
    const desc = registry.getMessage("mesos.v1.ExecutorInfo")!;
    const decoded = reflect(desc, executor);
    expect(decoded.resources).toHaveLength(2);
    expect(isFieldSet(decoded, desc.field.command!)).toBe(true);
    expect(missingRequired(desc, decoded)).toEqual([]);
  });
});

describe("a JobSpec holding mesos.v1 messages", () => {
  // The server decodes a request, stores the spec with JobSpec.toJSON, and answers from JobSpec.fromJSON
  // (src/api/job/convert.ts): neither step may add or drop a mesos.v1 field.
  it("keeps proto2 presence through decode, the JSON store and encode", () => {
    const request = JobSpec.encode(
      JobSpec.fromPartial({
        name: "job",
        defaultSpec: {
          containers: [
            {
              name: "c",
              container: { type: ContainerInfo_Type.DOCKER, docker: { image: "busybox" } },
              command: { value: "echo hi", shell: true },
            },
          ],
        },
      }),
    ).finish();
    const answer = JobSpec.encode(JobSpec.fromJSON(JobSpec.toJSON(JobSpec.decode(request)))).finish();
    expect(hex(answer)).toBe(hex(request));
    const jobSpec = registry.getMessage("peloton.api.v1alpha.job.stateless.JobSpec")!;
    const containerInfo = registry.getMessage("mesos.v1.ContainerInfo")!;
    const commandInfo = registry.getMessage("mesos.v1.CommandInfo")!;
    const spec = reflect(jobSpec, answer);
    expect(missingRequired(jobSpec, spec)).toEqual([]);
    const { container, command } = spec.defaultSpec.containers[0];
    expect(isFieldSet(container, containerInfo.field.type!)).toBe(true);
    expect(isFieldSet(container, containerInfo.field.hostname!)).toBe(false);
    expect(isFieldSet(command, commandInfo.field.shell!)).toBe(true);
    expect(isFieldSet(command, commandInfo.field.user!)).toBe(false);
  });
});

describe("scripts/proto2-presence.mjs on fresh ts-proto output", () => {
  interface Script {
    patchProto2Presence(o: { descriptorSetPath: string; genDir: string }): Record<string, number>;
    Proto2PresenceError: new (message: string) => Error;
  }
  let dir: string;
  let script: Script;
  const mesosTs = () => join(dir, "src", "gen", "mesos", "v1", "mesos.ts");

  beforeAll(async () => {
    script = await import(pathToFileURL(join(root, "scripts", "proto2-presence.mjs")).href);
    dir = mkdtempSync(join(tmpdir(), "proto2-presence-"));
    execFileSync(join(root, "node_modules", ".bin", "buf"), ["generate", "-o", dir], {
      cwd: root,
      stdio: "pipe",
    });
    copyFileSync(descriptorSetPath, join(dir, "descriptor-set.binpb"));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const patch = () =>
    script.patchProto2Presence({
      descriptorSetPath: join(dir, "descriptor-set.binpb"),
      genDir: join(dir, "src", "gen"),
    });

  it("fails loudly, writing nothing, when a guard it expects is not there", () => {
    const fresh = readFileSync(mesosTs(), "utf8");
    const at = fresh.indexOf("export const ContainerInfo: MessageFns<ContainerInfo>");
    const guard = "    if (message.type !== 1) {\n      writer.uint32(8)";
    expect(fresh.indexOf(guard, at)).toBeGreaterThan(at);
    const changed =
      fresh.slice(0, at) + fresh.slice(at).replace(guard, "    if (message.type) {\n      writer.uint32(8)");
    writeFileSync(mesosTs(), changed);
    try {
      expect(patch).toThrow(script.Proto2PresenceError);
      expect(patch).toThrow(
        "mesos.v1.ContainerInfo.type (ContainerInfo.encode, type): expected exactly one " +
          "`if (message.type !== <default>) { writer.uint32(8)… }`, found 0.",
      );
      expect(readFileSync(mesosTs(), "utf8")).toBe(changed);
    } finally {
      writeFileSync(mesosTs(), fresh);
    }
  });

  it("patches it into exactly what src/gen holds, and refuses to patch twice", () => {
    expect(patch()).toEqual({
      files: 1,
      messages: 58,
      encodeRequired: 38,
      encodeOptional: 55,
      toJson: 55,
      fromPartial: 55,
      fromJson: 55,
      createBase: 55,
    });
    expect(readFileSync(mesosTs(), "utf8")).toBe(
      readFileSync(join(root, "src/gen/mesos/v1/mesos.ts"), "utf8"),
    );
    expect(patch).toThrow(/patched already/);
  });
});
