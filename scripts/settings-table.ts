/**
 * Rewrites the README's settings table from the settings `--help` prints (src/app/settings.ts):
 *   npm run docs:settings
 * test/app/settings-help.test.ts fails while the two disagree.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../src/app/package-root.js";
import { replaceSettingsTable } from "../src/app/settings-help.js";

const readme = join(packageRoot(), "README.md");
writeFileSync(readme, replaceSettingsTable(readFileSync(readme, "utf8")));
console.log("README.md: settings table rewritten");
