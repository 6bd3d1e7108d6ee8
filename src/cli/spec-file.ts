import { readFileSync, statSync } from "node:fs";
import type { DescMessage } from "@bufbuild/protobuf";
import { parse } from "yaml";
import { CliError } from "./cli-error.js";
import { EXIT } from "./exit-codes.js";
import type { MessageType } from "./message-type.js";
import { messageFromJson } from "./proto-json.js";

/** Largest spec file read: far above any real job spec, far below what would hurt. */
const MAX_SPEC_BYTES = 4 * 1024 * 1024;
const ECHO_LIMIT = 60;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Longest error text passed on from the YAML parser or the decoder (they quote the input). */
const MESSAGE_LIMIT = 400;
const bounded = (text: string) => (text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text);

const shortKey = (key: string) => (key.length > ECHO_LIMIT ? `${key.slice(0, ECHO_LIMIT)}…` : key);

/**
 * The first key in `value` that `desc` has no field for, as `path.to.key: …`, walking nested
 * messages, lists and maps of messages. Well-known types (Timestamp) have JSON forms of their
 * own and are left to the decoder.
 */
export function unknownField(desc: DescMessage, value: unknown, path = ""): string | undefined {
  if (!isObject(value) || desc.typeName.startsWith("google.protobuf.")) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const field = desc.fields.find((f) => f.name === key || f.jsonName === key);
    const at = `${path}${shortKey(key)}`;
    if (!field) {
      const names = desc.fields.map((f) => f.name).join(", ");
      return `${at}: ${desc.name} has no such field (it has ${names})`;
    }
    let found: string | undefined;
    if (field.fieldKind === "message") found = unknownField(field.message, v, `${at}.`);
    else if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(v)) {
      for (let i = 0; i < v.length && !found; i++) found = unknownField(field.message, v[i], `${at}[${i}].`);
    } else if (field.fieldKind === "map" && field.mapKind === "message" && isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        found ??= unknownField(field.message, item, `${at}[${shortKey(k)}].`);
      }
    }
    if (found) return found;
  }
  return undefined;
}

/** A YAML (or JSON) document as a message, by the proto's field names (snake_case or JSON names). */
export function messageFromYaml<T>(type: MessageType<T>, text: string, source: string): T {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    throw new CliError(`${source}: not valid YAML: ${bounded((e as Error).message)}`, EXIT.ERROR);
  }
  if (!isObject(doc))
    throw new CliError(`${source}: expected a mapping of ${type.desc.name} fields`, EXIT.ERROR);
  const unknown = unknownField(type.desc, doc);
  if (unknown) throw new CliError(`${source}: ${unknown}`, EXIT.ERROR);
  try {
    return messageFromJson(type.codec, type.desc, doc);
  } catch (e) {
    throw new CliError(`${source}: ${bounded((e as Error).message)}`, EXIT.ERROR);
  }
}

/** A spec file (YAML, written with the proto's fields) as a message. */
export function readSpecFile<T>(type: MessageType<T>, path: string): T {
  let text: string;
  try {
    if (statSync(path).size > MAX_SPEC_BYTES) {
      throw new CliError(`${path}: larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB`, EXIT.ERROR);
    }
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`, EXIT.ERROR);
  }
  return messageFromYaml(type, text, path);
}
