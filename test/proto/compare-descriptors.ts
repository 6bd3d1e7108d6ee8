// Compares a compiled FileDescriptorSet with the wire-contract fixture (test/fixtures/wire-numbers.json)
// and lists every difference. Pure: no I/O, no mutation of its inputs.
import { isFieldSet } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  type FileDescriptorProto,
  type FileDescriptorSet,
} from "@bufbuild/protobuf/wkt";

/** One field as the fixture writes it. `type` is the lower-case proto type; `type_name` is fully qualified. */
export interface FixtureField {
  name: string;
  number: number;
  label: "optional" | "required" | "repeated";
  type: string;
  type_name?: string;
  default?: string;
}

/** One message; nested messages are keyed by their dotted name relative to the package ("Secret.Value"). */
export interface FixtureMessage {
  map_entry: boolean;
  fields: FixtureField[];
}

/** One RPC; input and output are fully qualified with a leading dot. */
export interface FixtureMethod {
  name: string;
  input: string;
  output: string;
  server_streaming: boolean;
  client_streaming: boolean;
}

export interface FixtureFile {
  package: string;
  syntax: "proto2" | "proto3";
  imports: string[];
  messages: Record<string, FixtureMessage>;
  /** Enum name (dotted, package-relative) to its values in declaration order. */
  enums: Record<string, Record<string, number>>;
  /** Service name (unqualified) to its methods in declaration order. */
  services: Record<string, FixtureMethod[]>;
}

export interface WireFixture {
  files: Record<string, FixtureFile>;
}

export interface CompareOptions {
  /**
   * Files whose fixture lists only part of their messages and enums (mesos/v1/mesos.proto lists the
   * types Peloton references, not the whole closure). Listed types are still compared exactly; types
   * the fixture does not list are not reported.
   */
  subsetFiles?: readonly string[];
  /** Files in the set that are allowed without a fixture entry, by name prefix. Default: google/protobuf/. */
  allowedExtraFilePrefixes?: readonly string[];
}

/** Returns one line per difference between `set` and `fixture`; empty when they agree. */
export function compareDescriptors(
  set: FileDescriptorSet,
  fixture: WireFixture,
  options: CompareOptions = {},
): string[] {
  const diffs: string[] = [];
  const subset = new Set(options.subsetFiles ?? []);
  const allowedExtra = options.allowedExtraFilePrefixes ?? ["google/protobuf/"];
  const byName = new Map(set.file.map((f) => [f.name, f]));

  for (const [path, want] of Object.entries(fixture.files)) {
    const got = byName.get(path);
    if (got === undefined) {
      diffs.push(`${path}: file missing from the descriptor set`);
      continue;
    }
    compareFile(path, got, want, subset.has(path), diffs);
  }
  for (const name of byName.keys()) {
    if (!(name in fixture.files) && !allowedExtra.some((prefix) => name.startsWith(prefix))) {
      diffs.push(`${name}: unexpected file`);
    }
  }
  return diffs;
}

function compareFile(
  path: string,
  got: FileDescriptorProto,
  want: FixtureFile,
  isSubset: boolean,
  out: string[],
) {
  const at = (what: string) => `${path}: ${what}`;
  const syntax = got.syntax === "" ? "proto2" : got.syntax;
  if (syntax !== want.syntax) out.push(at(`syntax is ${syntax}, expected ${want.syntax}`));
  if (got.package !== want.package) out.push(at(`package is ${got.package}, expected ${want.package}`));

  const imports = new Set(got.dependency);
  for (const imp of want.imports) if (!imports.has(imp)) out.push(at(`import ${imp} missing`));
  for (const imp of imports) if (!want.imports.includes(imp)) out.push(at(`unexpected import ${imp}`));
  if (got.extension.length > 0) out.push(at(`unexpected extensions (${got.extension.length})`));

  const messages = flattenMessages(got.messageType);
  const enums = flattenEnums(got.messageType, got.enumType);

  for (const [name, wantMsg] of Object.entries(want.messages)) {
    const msg = messages.get(name);
    if (msg === undefined) out.push(at(`message ${name} missing`));
    else compareMessage(at(`message ${name}`), msg, wantMsg, out);
  }
  for (const [name, wantValues] of Object.entries(want.enums)) {
    const en = enums.get(name);
    if (en === undefined) out.push(at(`enum ${name} missing`));
    else compareEnum(at(`enum ${name}`), en, wantValues, out);
  }
  if (!isSubset) {
    for (const name of messages.keys())
      if (!(name in want.messages)) out.push(at(`unexpected message ${name}`));
    for (const name of enums.keys()) if (!(name in want.enums)) out.push(at(`unexpected enum ${name}`));
  }

  const services = new Map(got.service.map((s) => [s.name, s]));
  for (const [name, wantMethods] of Object.entries(want.services)) {
    const svc = services.get(name);
    if (svc === undefined) {
      out.push(at(`service ${name} missing`));
      continue;
    }
    const methods = new Map(svc.method.map((m) => [m.name, m]));
    for (const wm of wantMethods) {
      const m = methods.get(wm.name);
      const where = at(`service ${name} method ${wm.name}`);
      if (m === undefined) {
        out.push(`${where} missing`);
        continue;
      }
      if (m.inputType !== wm.input) out.push(`${where}: input is ${m.inputType}, expected ${wm.input}`);
      if (m.outputType !== wm.output) out.push(`${where}: output is ${m.outputType}, expected ${wm.output}`);
      if (m.serverStreaming !== wm.server_streaming) {
        out.push(`${where}: server_streaming is ${m.serverStreaming}, expected ${wm.server_streaming}`);
      }
      if (m.clientStreaming !== wm.client_streaming) {
        out.push(`${where}: client_streaming is ${m.clientStreaming}, expected ${wm.client_streaming}`);
      }
    }
    const wantNames = new Set(wantMethods.map((m) => m.name));
    for (const m of svc.method)
      if (!wantNames.has(m.name)) out.push(at(`service ${name}: unexpected method ${m.name}`));
  }
  for (const name of services.keys())
    if (!(name in want.services)) out.push(at(`unexpected service ${name}`));
}

function compareMessage(where: string, msg: DescriptorProto, want: FixtureMessage, out: string[]) {
  const mapEntry = msg.options?.mapEntry ?? false;
  if (mapEntry !== want.map_entry) out.push(`${where}: map_entry is ${mapEntry}, expected ${want.map_entry}`);
  if (msg.oneofDecl.length > 0)
    out.push(`${where}: unexpected oneofs ${msg.oneofDecl.map((o) => o.name).join(", ")}`);
  if (msg.extension.length > 0) out.push(`${where}: unexpected extensions (${msg.extension.length})`);

  const fields = new Map(msg.field.map((f) => [f.name, f]));
  for (const wf of want.fields) {
    const f = fields.get(wf.name);
    if (f === undefined) out.push(`${where}: field ${wf.name} missing`);
    else compareField(`${where} field ${wf.name}`, f, wf, out);
  }
  const wantNames = new Set(want.fields.map((f) => f.name));
  for (const f of msg.field) {
    if (!wantNames.has(f.name)) out.push(`${where}: unexpected field ${f.name}=${f.number}`);
  }
}

function compareField(where: string, f: FieldDescriptorProto, want: FixtureField, out: string[]) {
  if (f.number !== want.number) out.push(`${where}: number is ${f.number}, expected ${want.number}`);
  const label = labelName(f.label);
  if (label !== want.label) out.push(`${where}: label is ${label}, expected ${want.label}`);
  const type = typeName(f.type);
  if (type !== want.type) out.push(`${where}: type is ${type}, expected ${want.type}`);
  const refName = f.typeName === "" ? undefined : f.typeName;
  if (refName !== want.type_name)
    out.push(`${where}: type_name is ${refName ?? "(none)"}, expected ${want.type_name ?? "(none)"}`);
  const dflt = isFieldSet(f, FieldDescriptorProtoSchema.field.defaultValue) ? f.defaultValue : undefined;
  if (dflt !== want.default)
    out.push(`${where}: default is ${dflt ?? "(none)"}, expected ${want.default ?? "(none)"}`);
  if (isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex))
    out.push(`${where}: unexpectedly in a oneof`);
  if (f.proto3Optional) out.push(`${where}: unexpected proto3 optional`);
  // Explicit packing would change how repeated scalars are encoded; the contract uses each syntax's default.
  if (f.options !== undefined && isFieldSet(f.options, FieldOptionsSchema.field.packed)) {
    out.push(`${where}: unexpected explicit packed=${f.options.packed}`);
  }
}

function compareEnum(where: string, en: EnumDescriptorProto, want: Record<string, number>, out: string[]) {
  const values = new Map(en.value.map((v) => [v.name, v.number]));
  for (const [name, number] of Object.entries(want)) {
    const got = values.get(name);
    if (got === undefined) out.push(`${where}: value ${name} missing`);
    else if (got !== number) out.push(`${where}: value ${name} is ${got}, expected ${number}`);
  }
  for (const v of en.value)
    if (!(v.name in want)) out.push(`${where}: unexpected value ${v.name}=${v.number}`);
  // The first declared value is the default of proto2 fields without an explicit default.
  const firstWant = Object.keys(want)[0];
  const firstGot = en.value[0]?.name;
  if (firstWant !== undefined && firstGot !== firstWant) {
    out.push(`${where}: first value is ${firstGot ?? "(none)"}, expected ${firstWant}`);
  }
}

/** All messages of a file, nested ones included, keyed by their dotted package-relative name. */
function flattenMessages(top: readonly DescriptorProto[]): Map<string, DescriptorProto> {
  const out = new Map<string, DescriptorProto>();
  const walk = (msgs: readonly DescriptorProto[], prefix: string) => {
    for (const m of msgs) {
      const name = prefix + m.name;
      out.set(name, m);
      walk(m.nestedType, `${name}.`);
    }
  };
  walk(top, "");
  return out;
}

/** All enums of a file, nested ones included, keyed by their dotted package-relative name. */
function flattenEnums(
  messages: readonly DescriptorProto[],
  topEnums: readonly EnumDescriptorProto[],
): Map<string, EnumDescriptorProto> {
  const out = new Map<string, EnumDescriptorProto>(topEnums.map((e) => [e.name, e]));
  for (const [name, msg] of flattenMessages(messages)) {
    for (const e of msg.enumType) out.set(`${name}.${e.name}`, e);
  }
  return out;
}

function labelName(label: FieldDescriptorProto_Label): string {
  return (FieldDescriptorProto_Label[label] ?? `label#${label}`).toLowerCase();
}

function typeName(type: FieldDescriptorProto_Type): string {
  return (FieldDescriptorProto_Type[type] ?? `type#${type}`).toLowerCase();
}
