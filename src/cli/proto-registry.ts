import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createFileRegistry,
  type DescMessage,
  type DescMethod,
  type FileRegistry,
  fromBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { packageRoot } from "./package-root.js";

let registry: FileRegistry | undefined;

/**
 * The v1alpha descriptors (the set `npm install` writes to gen/, the one reflection serves): they
 * let the CLI read YAML and JSON by the protos' own rules, unknown fields refused.
 */
export function protoRegistry(): FileRegistry {
  if (registry) return registry;
  const path = join(packageRoot(), "gen", "descriptor-set.binpb");
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new Error(`descriptor set missing at ${path}: run \`npm run gen\` (npm install does it)`);
  }
  registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
  return registry;
}

export function messageDescriptor(typeName: string): DescMessage {
  const desc = protoRegistry().getMessage(typeName);
  if (!desc) throw new Error(`message ${typeName} is not in the descriptor set`);
  return desc;
}

/** A method's descriptor by its service's full name and its name, e.g. ("…JobService", "GetJob"). */
export function methodDescriptor(serviceName: string, methodName: string): DescMethod {
  const method = protoRegistry()
    .getService(serviceName)
    ?.methods.find((m) => m.name === methodName);
  if (!method) throw new Error(`method ${serviceName}.${methodName} is not in the descriptor set`);
  return method;
}
