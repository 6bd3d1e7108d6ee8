// Generates src/gen (TypeScript) and gen/descriptor-set.binpb (for reflection) from proto/.
// Runs on `npm install` (postinstall) and `npm run gen`. Generated output is never committed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

if (!existsSync(bin("buf"))) {
  // Installed without dev dependencies (production install from a prebuilt tree): nothing to do.
  console.log("codegen: buf is not installed, skipping");
  process.exit(0);
}
rmSync(join(root, "src", "gen"), { recursive: true, force: true });
mkdirSync(join(root, "gen"), { recursive: true });
const run = (args) => execFileSync(bin("buf"), args, { cwd: root, stdio: "inherit" });
run(["generate"]);
run(["build", "-o", "gen/descriptor-set.binpb"]);
console.log("codegen: src/gen and gen/descriptor-set.binpb written");
