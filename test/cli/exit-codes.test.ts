import { readFileSync } from "node:fs";
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { EXIT, exitCodeOfStatus, STATUS_CLASS_OF, STATUS_CLASSES } from "../../src/cli/exit-codes.js";

describe("the CLI's exit codes", () => {
  it("give every failed status the code of its class, apart from the CLI's own codes", () => {
    const own = new Set<number>(Object.values(EXIT));
    for (const [name, code] of Object.entries(Status)) {
      if (typeof code !== "number" || code === Status.OK) continue;
      const exit = exitCodeOfStatus(code);
      expect(exit, name).toBe(STATUS_CLASSES[STATUS_CLASS_OF[name as keyof typeof STATUS_CLASS_OF]]);
      expect(own.has(exit), name).toBe(false);
    }
    expect(new Set(Object.values(STATUS_CLASSES)).size).toBe(Object.keys(STATUS_CLASSES).length);
  });

  it("are the README's table", () => {
    const readme = readFileSync("README.md", "utf8");
    const start = readme.indexOf("### Exit codes");
    const section = readme.slice(start, readme.indexOf("\n#", start + 1));
    const rows = new Map<number, string>();
    for (const m of section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)) rows.set(Number(m[1]), m[2]!.trim());
    expect(rows.size).toBe(Object.keys(STATUS_CLASSES).length + Object.keys(EXIT).length);
    for (const [cls, code] of Object.entries(STATUS_CLASSES)) {
      const statuses = Object.entries(STATUS_CLASS_OF)
        .filter(([, c]) => c === cls)
        .map(([s]) => `\`${s}\``);
      expect(rows.get(code), `exit ${code}`).toBe(statuses.join(", "));
    }
    for (const code of Object.values(EXIT)) expect(rows.has(code), `exit ${code}`).toBe(true);
  });
});
