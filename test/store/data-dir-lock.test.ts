import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirInUseError, LOCK_FILE, lockDataDir } from "../../src/store/data-dir-lock.js";

describe("lockDataDir", () => {
  const dirs: string[] = [];
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), "peloton-lock-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("writes this pid, refuses a second taker while held, and removes the file on release", () => {
    const dir = scratch();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("refuses a folder a live process holds, naming it", async () => {
    const dir = scratch();
    const other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, LOCK_FILE), `${other.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
      expect(() => lockDataDir(dir)).toThrow(`is in use by another server (pid ${other.pid}`);
    } finally {
      const gone = new Promise((resolve) => other.once("exit", resolve));
      other.kill("SIGKILL");
      await gone;
    }
    // Its process is gone now: the lock is stale and taken over.
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    release();
  });

  it("takes over a lock of its own pid (a container restarted with the same pid) or a garbled one", () => {
    const dir = scratch();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    lockDataDir(dir)();
    writeFileSync(join(dir, LOCK_FILE), "not a pid");
    lockDataDir(dir)();
  });
});
