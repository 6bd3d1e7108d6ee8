// Generates src/gen (TypeScript) and gen/descriptor-set.binpb (for reflection) from proto/.
// Runs on `npm install` (postinstall) and `npm run gen`. Generated output is never committed.
// The descriptor set is built first: scripts/proto2-presence.mjs reads it to patch ts-proto's proto2 output.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeStats, patchProto2Presence } from "./proto2-presence.mjs";

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
run(["build", "-o", "gen/descriptor-set.binpb"]);
run(["generate"]);
try {
  const stats = patchProto2Presence({
    descriptorSetPath: join(root, "gen", "descriptor-set.binpb"),
    genDir: join(root, "src", "gen"),
  });
  console.log(`codegen: proto2 presence patched: ${describeStats(stats)}`);
} catch (e) {
  console.error(`codegen: FAILED to patch proto2 field presence into src/gen: ${e.message}`);
  console.error("codegen: src/gen is unpatched and breaks proto2 wire compatibility; do not use it.");
  process.exit(1);
}
console.log("codegen: src/gen and gen/descriptor-set.binpb written");
