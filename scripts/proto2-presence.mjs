// Post-processes ts-proto output so proto2 messages keep proto2 field presence on the wire.
//
// ts-proto treats proto2 scalars like proto3 ones: `encode` skips a field holding its default value, and
// createBase/fromJSON/fromPartial fill an absent optional field with its default. A proto2 peer (Go/C++
// Mesos and Peloton) rejects a message whose `required` field is missing, and tells an unset `optional`
// field from one set to its default (has_user(), has_hostname(), ...). For every message of every proto2
// file in the descriptor set this rewrites the generated code so that:
//   encode       a required scalar/enum/string/bytes field is always written;
//                an optional one is written whenever it is not undefined, even when equal to its default;
//   toJSON       an optional one is emitted whenever it is not undefined (the store keeps specs as JSON);
//   createBase,  an absent optional one stays undefined instead of becoming its default, so decode,
//   fromJSON,    fromJSON and fromPartial do not invent presence that encode would then put on the wire.
//   fromPartial
// Repeated and message fields are left alone: ts-proto already writes every element and every message
// that is not undefined. Every rewrite must find the exact code it expects; anything else (a ts-proto
// upgrade that changed its output, an already patched file) fails loudly instead of leaving a silent gap.
//
// Usage: node scripts/proto2-presence.mjs [descriptor-set.binpb] [src/gen]   (scripts/codegen.mjs runs it)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  FieldDescriptorProtoSchema,
  FileDescriptorSetSchema,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
} from "@bufbuild/protobuf/wkt";

export const MARKER = "// Post-processed by scripts/proto2-presence.mjs: proto2 field presence.";

export class Proto2PresenceError extends Error {
  name = "Proto2PresenceError";
}

/** A proto2 file: `syntax` is unset (protoc and buf leave it empty) or "proto2". */
export const isProto2 = (file) => file.syntax === "" || file.syntax === "proto2";

/** ts-proto's snakeToCamel (case.ts), applied like maybeSnakeToCamel with the default options. */
export function tsFieldName(protoName) {
  if (!protoName.includes("_")) return protoName;
  const hasLowerCase = /[a-z]/.test(protoName);
  return protoName
    .split("_")
    .map((word, i) => {
      const w = hasLowerCase ? word : word.toLowerCase();
      return i === 0 ? w : w.slice(0, 1).toUpperCase() + w.slice(1);
    })
    .join("");
}

const BUILT_IN_NAMES = ["Date", "Function"]; // ts-proto's visit.ts suffixes these with "Message"

/** Every message of `file` (map entries excluded), depth first, with its ts-proto name (Outer_Inner). */
export function messagesOf(file) {
  const out = [];
  const visit = (messages, tsPrefix, protoPrefix) => {
    for (const m of messages) {
      if (m.options?.mapEntry) continue;
      const tsBase = tsPrefix + tsFieldName(m.name);
      const tsName = BUILT_IN_NAMES.includes(tsBase) ? `${tsBase}Message` : tsBase;
      const typeName = protoPrefix + m.name;
      out.push({ tsName, typeName, desc: m });
      visit(m.nestedType, `${tsBase}_`, `${typeName}.`);
    }
  };
  visit(file.messageType, "", file.package === "" ? "" : `${file.package}.`);
  return out;
}

const WIRE_TYPE = new Map([
  [Type.DOUBLE, 1],
  [Type.FLOAT, 5],
  [Type.INT64, 0],
  [Type.UINT64, 0],
  [Type.INT32, 0],
  [Type.FIXED64, 1],
  [Type.FIXED32, 5],
  [Type.BOOL, 0],
  [Type.STRING, 2],
  [Type.BYTES, 2],
  [Type.UINT32, 0],
  [Type.ENUM, 0],
  [Type.SFIXED32, 5],
  [Type.SFIXED64, 1],
  [Type.SINT32, 0],
  [Type.SINT64, 0],
]);

/**
 * The fields of `message` whose presence ts-proto gets wrong: singular scalar, enum, string and bytes
 * fields outside a oneof (oneof members are already written whenever they are set).
 */
export function presenceFields(message) {
  return message.field
    .filter((f) => f.label !== Label.REPEATED && WIRE_TYPE.has(f.type))
    .filter((f) => !isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) || f.proto3Optional)
    .map((f) => ({
      protoName: f.name,
      name: tsFieldName(f.name),
      required: f.label === Label.REQUIRED,
      tag: ((f.number << 3) | WIRE_TYPE.get(f.type)) >>> 0,
      type: f.type,
    }));
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// The default a ts-proto guard compares with: a number, a string, a boolean, or `x.length !== 0` for bytes.
const LITERAL = String.raw`(?:-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|true|false)`;

/**
 * Replaces the single match of `re` in `text`; throws if it matches zero or several times. `shape` shows
 * the expected code in the error.
 */
function replaceOnce(text, re, replacement, what, shape) {
  const matches = [...text.matchAll(new RegExp(re.source, `${re.flags.replace("g", "")}g`))];
  if (matches.length !== 1) {
    throw new Proto2PresenceError(
      `${what}: expected exactly one \`${shape}\`, found ${matches.length}. ts-proto's output changed ` +
        "(or the file was patched already); update scripts/proto2-presence.mjs.",
    );
  }
  return text.replace(re, replacement);
}

/** [start, end) of the text between `open` (included) and the first `close` after it (included). */
function span(text, open, close, what) {
  const start = text.indexOf(open);
  if (start < 0 || text.indexOf(open, start + 1) >= 0) {
    throw new Proto2PresenceError(`${what}: expected exactly one ${JSON.stringify(open.trim())}`);
  }
  const end = text.indexOf(close, start + open.length);
  if (end < 0) throw new Proto2PresenceError(`${what}: no ${JSON.stringify(close)} after it`);
  return [start, end + close.length];
}

/** Applies `edit` to the part of `text` spanning [open … close]. */
function editSpan(text, open, close, what, edit) {
  const [start, end] = span(text, open, close, what);
  return text.slice(0, start) + edit(text.slice(start, end)) + text.slice(end);
}

/**
 * The top-level properties of the object literal starting at `text[open]` === "{", as
 * { name, valueStart, valueEnd }. Knows enough TypeScript for ts-proto's object literals: brackets,
 * string and template literals.
 */
function objectProperties(text, open, what) {
  if (text[open] !== "{") throw new Proto2PresenceError(`${what}: object literal expected`);
  const props = [];
  let depth = 0;
  let valueStart = -1;
  let name = "";
  let propStart = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; text[i] !== c; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      depth++;
      continue;
    }
    if (depth === 1 && c === ":" && valueStart < 0) {
      name = text.slice(propStart, i).trim();
      valueStart = i + 1;
      continue;
    }
    if ((depth === 1 && c === ",") || ((c === ")" || c === "]" || c === "}") && depth-- === 1)) {
      if (valueStart >= 0) props.push({ name, valueStart, valueEnd: i });
      valueStart = -1;
      propStart = i + 1;
      if (c === "}") return props;
    }
  }
  throw new Proto2PresenceError(`${what}: unterminated object literal`);
}

/** Replaces the value of property `name` in the object literal after `anchor` in `text`. */
function replaceProperty(text, anchor, name, what, rewrite) {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Proto2PresenceError(`${what}: ${JSON.stringify(anchor)} not found`);
  const props = objectProperties(text, at + anchor.length - 1, what).filter((p) => p.name === name);
  if (props.length !== 1) {
    throw new Proto2PresenceError(`${what}: expected one property ${name}, found ${props.length}`);
  }
  const { valueStart, valueEnd } = props[0];
  const value = text.slice(valueStart, valueEnd);
  return text.slice(0, valueStart) + rewrite(value) + text.slice(valueEnd);
}

/** `isSet(object.x) ? … : [isSet(object.x_y) ? … :] DEFAULT` with DEFAULT replaced by undefined. */
function fromJsonWithoutDefault(value, field, what) {
  if (!value.trimStart().startsWith(`isSet(object.${field.name})`)) {
    throw new Proto2PresenceError(`${what}: unexpected fromJSON expression ${value.trim()}`);
  }
  let depth = 0;
  let lastColon = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; value[i] !== c; i++) if (value[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === ":" && depth === 0 && /\s/.test(value[i - 1] ?? "")) lastColon = i;
  }
  if (lastColon < 0) throw new Proto2PresenceError(`${what}: no default in fromJSON expression`);
  const trailing = value.slice(lastColon + 1).match(/\s*$/)?.[0] ?? "";
  return `${value.slice(0, lastColon + 1)} undefined${trailing}`;
}

/** Patches one message's generated code in `src`; counts what it changed into `stats`. */
function patchMessage(src, { tsName, typeName, desc }, stats) {
  const fields = presenceFields(desc);
  if (fields.length === 0) return src;
  const block = [`\nexport const ${tsName}: MessageFns<${tsName}> = {\n`, "\n};\n"];
  const method = (name) => [`\n  ${name}(`, "\n  },\n"];
  const where = (part, f) => `${typeName}.${f.protoName} (${tsName}.${part}, ${f.name})`;

  return editSpan(src, ...block, typeName, (code) => {
    let out = editSpan(code, ...method("encode"), `${typeName} encode`, (encode) => {
      let text = encode;
      for (const f of fields) {
        const F = esc(`message.${f.name}`);
        const write = String.raw`(writer\.uint32\(${f.tag}\)\.\w+\(${F}\);)`;
        const skipDefault = String.raw`(?:${F} !== ${LITERAL}|${F}\.length !== 0)`;
        if (f.required) {
          const guard = new RegExp(String.raw`^    if \(${skipDefault}\) \{\n      ${write}\n    \}\n`, "m");
          const shape = `if (message.${f.name} !== <default>) { writer.uint32(${f.tag})… }`;
          text = replaceOnce(text, guard, "    $1\n", where("encode", f), shape);
          stats.encodeRequired++;
        } else {
          const guard = new RegExp(
            String.raw`^    if \(${F} !== undefined && ${skipDefault}\) \{\n      ${write}\n    \}\n`,
            "m",
          );
          const shape = `if (message.${f.name} !== undefined && message.${f.name} !== <default>) { writer.uint32(${f.tag})… }`;
          const narrowed = `    if (message.${f.name} !== undefined) {\n      $1\n    }\n`;
          text = replaceOnce(text, guard, narrowed, where("encode", f), shape);
          stats.encodeOptional++;
        }
      }
      return text;
    });

    const optional = fields.filter((f) => !f.required);
    if (optional.length === 0) return out;

    out = editSpan(out, ...method("toJSON"), `${typeName} toJSON`, (toJson) => {
      let text = toJson;
      for (const f of optional) {
        const F = esc(`message.${f.name}`);
        const guard = new RegExp(
          String.raw`^    if \(${F} !== undefined && (?:${F} !== ${LITERAL}|${F}\.length !== 0)\) \{\n(      obj)`,
          "m",
        );
        const shape = `if (message.${f.name} !== undefined && message.${f.name} !== <default>) { obj…`;
        text = replaceOnce(
          text,
          guard,
          `    if (message.${f.name} !== undefined) {\n$1`,
          where("toJSON", f),
          shape,
        );
        stats.toJson++;
      }
      return text;
    });

    out = editSpan(out, ...method("fromPartial"), `${typeName} fromPartial`, (fromPartial) => {
      let text = fromPartial;
      for (const f of optional) {
        const line = new RegExp(
          String.raw`^    ${esc(`message.${f.name} = object.${f.name} ?? `)}[^;\n]+;$`,
          "m",
        );
        text = replaceOnce(
          text,
          line,
          `    message.${f.name} = object.${f.name} ?? undefined;`,
          where("fromPartial", f),
          `message.${f.name} = object.${f.name} ?? <default>;`,
        );
        stats.fromPartial++;
      }
      return text;
    });

    return editSpan(out, ...method("fromJSON"), `${typeName} fromJSON`, (fromJson) => {
      let text = fromJson;
      for (const f of optional) {
        text = replaceProperty(text, "return {", f.name, where("fromJSON", f), (value) =>
          fromJsonWithoutDefault(value, f, where("fromJSON", f)),
        );
        stats.fromJson++;
      }
      return text;
    });
  });
}

/** createBase<Name>() lives outside the MessageFns block; decode starts from it. */
function patchCreateBase(src, { tsName, typeName, desc }, stats) {
  const optional = presenceFields(desc).filter((f) => !f.required);
  if (optional.length === 0) return src;
  const open = `\nfunction createBase${tsName}(): ${tsName} {\n`;
  const decodes = src.includes(`const message = createBase${tsName}();`);
  if (!decodes)
    throw new Proto2PresenceError(`${typeName}: decode does not start from createBase${tsName}()`);
  return editSpan(src, open, "\n}\n", `${typeName} createBase`, (fn) => {
    let text = fn;
    for (const f of optional) {
      text = replaceProperty(text, "return {", f.name, `${typeName}.${f.protoName} (createBase)`, (value) =>
        value.replace(/^(\s*)[\s\S]*?(\s*)$/, "$1undefined$2"),
      );
      stats.createBase++;
    }
    return text;
  });
}

/** Checks the patched encode of every field: required written unconditionally, optional when set. */
function verify(src, { tsName, typeName, desc }) {
  const [start, end] = span(src, `\nexport const ${tsName}: MessageFns<${tsName}> = {\n`, "\n};\n", typeName);
  const [eStart, eEnd] = span(src.slice(start, end), "\n  encode(", "\n  },\n", `${typeName} encode`);
  const encode = src.slice(start, end).slice(eStart, eEnd);
  for (const f of presenceFields(desc)) {
    const write = `writer.uint32(${f.tag}).`;
    const lines = encode.split("\n");
    const at = lines.findIndex((l) => l.trimStart().startsWith(write));
    const ok =
      at > 0 &&
      lines.filter((l) => l.includes(write)).length === 1 &&
      (f.required
        ? lines[at].startsWith(`    ${write}`) // unconditional: not nested in an if
        : lines[at - 1] === `    if (message.${f.name} !== undefined) {`);
    if (!ok) throw new Proto2PresenceError(`${typeName}.${f.protoName}: encode was not patched as expected`);
  }
}

/**
 * Patches the ts-proto output under `genDir` for every proto2 file in the descriptor set at
 * `descriptorSetPath`. Writes nothing unless every file patches cleanly. Returns the counts.
 */
export function patchProto2Presence({ descriptorSetPath, genDir }) {
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath));
  const stats = {
    files: 0,
    messages: 0,
    encodeRequired: 0,
    encodeOptional: 0,
    toJson: 0,
    fromPartial: 0,
    fromJson: 0,
    createBase: 0,
  };
  const outputs = [];
  for (const file of set.file.filter(isProto2)) {
    const path = join(genDir, file.name.replace(/\.proto$/, ".ts"));
    let src = readFileSync(path, "utf8");
    if (src.includes(MARKER))
      throw new Proto2PresenceError(`${path} is patched already; run \`npm run gen\``);
    const messages = messagesOf(file);
    for (const m of messages) {
      src = patchMessage(src, m, stats);
      src = patchCreateBase(src, m, stats);
      verify(src, m);
    }
    const firstLineEnd = src.indexOf("\n") + 1;
    src = `${src.slice(0, firstLineEnd)}${MARKER}\n${src.slice(firstLineEnd)}`;
    outputs.push([path, src]);
    stats.files++;
    stats.messages += messages.length;
  }
  for (const [path, src] of outputs) writeFileSync(path, src);
  return stats;
}

export const describeStats = (s) =>
  `${s.files} proto2 file(s), ${s.messages} messages: encode guards ${s.encodeRequired} required ` +
  `(now always written) + ${s.encodeOptional} optional (now written when set); toJSON ${s.toJson}; ` +
  `absent optionals left undefined in createBase ${s.createBase}, fromJSON ${s.fromJson}, ` +
  `fromPartial ${s.fromPartial}`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const [descriptorSetPath = join(root, "gen", "descriptor-set.binpb"), genDir = join(root, "src", "gen")] =
    process.argv.slice(2);
  try {
    console.log(`proto2-presence: ${describeStats(patchProto2Presence({ descriptorSetPath, genDir }))}`);
  } catch (e) {
    console.error(`proto2-presence: FAILED: ${e.message}`);
    process.exit(1);
  }
}
