import { type DescMessage, fromBinary, fromJson, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import { protoRegistry } from "./proto-registry.js";

/** What the CLI needs of a ts-proto message type: its binary codec. */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

/**
 * A generated message from proto3 JSON (JSON names or the protos' own snake_case names; enums by
 * name): the descriptors check it, so an unknown key or a wrong type is an error naming it,
 * never a field silently dropped.
 */
export function messageFromJson<T>(codec: MessageCodec<T>, desc: DescMessage, json: unknown): T {
  const registry = protoRegistry();
  const message = fromJson(desc, json as JsonValue, { registry });
  return codec.decode(toBinary(desc, message));
}

export interface JsonShape {
  /** snake_case as in the .proto files (for YAML a person edits) instead of the JSON names. */
  readonly protoNames?: boolean;
}

/** A generated message as proto3 JSON: JSON names (lowerCamelCase), enums by name, defaults left out. */
export function messageToJson<T>(
  codec: MessageCodec<T>,
  desc: DescMessage,
  message: T,
  shape: JsonShape = {},
): JsonValue {
  const registry = protoRegistry();
  const decoded = fromBinary(desc, codec.encode(message).finish());
  return toJson(desc, decoded, { registry, useProtoFieldName: shape.protoNames ?? false });
}
