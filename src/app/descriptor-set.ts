import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

/** Where `npm run gen` writes the FileDescriptorSet that reflection serves: `<package>/gen/`. */
export const descriptorSetPath = (root: string = packageRoot()): string =>
  join(root, "gen", "descriptor-set.binpb");

export function loadDescriptorSet(path = descriptorSetPath()): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new Error(
      `descriptor set missing at ${path}: run \`npm run build\` (npm install generates it too)`,
    );
  }
}
