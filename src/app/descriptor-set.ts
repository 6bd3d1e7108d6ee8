import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run gen` writes the FileDescriptorSet that reflection serves. */
export const DESCRIPTOR_SET_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "gen",
  "descriptor-set.binpb",
);

export function loadDescriptorSet(path = DESCRIPTOR_SET_PATH): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new Error(`descriptor set missing at ${path}: run \`npm run gen\` (npm install does it)`);
  }
}
