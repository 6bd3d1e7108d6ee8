import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "peloton-ts";

/**
 * The folder of this package's package.json, found by walking up from this module: the same
 * answer from `src/app` (tsx), `dist/app` (the build) or wherever a bundle puts it.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && readManifest(manifest).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}`);
  }
}

const readManifest = (path: string): { name?: string; version?: string } =>
  JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };

/** The package's version, for `--version` and the start log line. */
export const packageVersion = (root: string = packageRoot()): string =>
  readManifest(join(root, "package.json")).version ?? "unknown";
