import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI_TEST_TIMEOUT } from "./support/run-peloton.js";

const run = promisify(execFile);

describe("bin/peloton.js, the package's `peloton`", CLI_TEST_TIMEOUT, () => {
  it("is the package's bin and runs the TypeScript source without a build", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.bin).toEqual({ peloton: "bin/peloton.js" });
    const { stdout } = await run(process.execPath, ["bin/peloton.js", "--version"]);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it("runs dist/cli/main.js instead once there is one", async () => {
    const root = mkdtempSync(join(tmpdir(), "peloton-bin-"));
    mkdirSync(join(root, "bin"));
    mkdirSync(join(root, "dist", "cli"), { recursive: true });
    copyFileSync("bin/peloton.js", join(root, "bin", "peloton.js"));
    writeFileSync(join(root, "package.json"), '{"type": "module"}\n');
    writeFileSync(
      join(root, "dist", "cli", "main.js"),
      'console.log("built", process.argv.slice(2).join(" "));\n',
    );
    const { stdout } = await run(process.execPath, [
      join(root, "bin", "peloton.js"),
      "job",
      "stateless",
      "list",
    ]);
    expect(stdout).toBe("built job stateless list\n");
  });
});
