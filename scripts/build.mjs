// `npm run build`: codegen (src/gen and gen/descriptor-set.binpb from proto/), then tsc to dist/.
// `node scripts/build.mjs --if-stale` (npm's prestart) builds only what is older than its inputs,
// and on a production tree (no dev dependencies: no buf, no tsc) runs what dist/ holds.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (...parts) => join(root, ...parts);
const ifStale = process.argv.includes("--if-stale");

/** Newest modification time among files and folders under `paths` (0 when none exist). */
function newest(paths, skip = () => false) {
  let latest = 0;
  const visit = (path) => {
    if (skip(path) || !existsSync(path)) return;
    const s = statSync(path);
    latest = Math.max(latest, s.mtimeMs);
    if (s.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const p of paths) visit(p);
  return latest;
}
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

const codegenInputs = [
  at("proto"),
  at("buf.yaml"),
  at("buf.gen.yaml"),
  at("scripts", "codegen.mjs"),
  at("scripts", "proto2-presence.mjs"),
  at("package-lock.json"),
];
const DESCRIPTOR_SET = at("gen", "descriptor-set.binpb");
const STAMP = at("dist", ".build-stamp");
const compileInputs = [
  at("src"),
  at("migrations"),
  at("tsconfig.json"),
  at("tsconfig.build.json"),
  at("package-lock.json"),
];
const MAIN = at("dist", "src", "app", "main.js");

const codegenStale = () => !existsSync(at("src", "gen")) || newest(codegenInputs) > mtime(DESCRIPTOR_SET);
const compileStale = () => newest(compileInputs) > mtime(STAMP) || !existsSync(MAIN);

const tsc = at("node_modules", "typescript", "bin", "tsc");
const buf = at("node_modules", ".bin", "buf");

if (ifStale && (!existsSync(tsc) || !existsSync(buf))) {
  // A production tree (npm ci --omit=dev): nothing can be built here, so it must be built already.
  if (existsSync(MAIN) && existsSync(DESCRIPTOR_SET)) process.exit(0);
  console.error(
    "build: dist/ is missing and the dev dependencies (typescript, buf) are not installed: " +
      "run `npm ci` and `npm run build` first",
  );
  process.exit(1);
}
/** Runs a node script; a failure ends the build with its exit code (its output said why). */
const node = (args) => {
  try {
    execFileSync(process.execPath, args, { stdio: "inherit", cwd: root });
  } catch (e) {
    process.exit(typeof e.status === "number" ? e.status : 1);
  }
};
if (!ifStale || codegenStale()) node([at("scripts", "codegen.mjs")]);
if (!ifStale || compileStale()) {
  // A clean dist/: a source file that was removed leaves no module behind.
  rmSync(at("dist"), { recursive: true, force: true });
  node([tsc, "-p", at("tsconfig.build.json")]);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  console.log("build: dist/ written");
}
