import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The embedded database's folder is another live process's. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
}

export const LOCK_FILE = "peloton.lock";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is someone else's.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Takes the data folder for this process: PGlite is a single-process database, and two servers
 * on one folder would corrupt it. The lock is a file holding the owner's pid, created
 * exclusively; a lock whose process is gone (or is this very pid, as after a container restart)
 * is stale and taken over. Returns the release.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        // Only our own lock: a stale-lock takeover may have replaced it.
        if (readPid(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = readPid(path);
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      throw new DataDirInUseError(
        `the data folder ${dir} is in use by another server (pid ${owner}, ${path}): PGlite serves one process; ` +
          "stop that server, give this one another PELOTON_DATA_DIR, or use DATABASE_URL for several servers",
      );
    }
    rmSync(path, { force: true });
  }
  throw new DataDirInUseError(
    `the data folder ${dir} is being taken by another server at the same time (${path})`,
  );
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
