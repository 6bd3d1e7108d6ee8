import { statSync } from "node:fs";

/** What identifies a file's version: a rename over it changes the inode, a rewrite the mtime or size. */
const signature = (path: string): string => {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (e) {
    return `missing:${(e as NodeJS.ErrnoException).code}`;
  }
};

/**
 * Calls `onChange` when any of `paths` changes, checking every `intervalMs` (polling: works for
 * Kubernetes' secret volumes, which swap a symlink, where fs.watch does not). Returns the stop.
 */
export function watchFiles(paths: readonly string[], intervalMs: number, onChange: () => void): () => void {
  let last = paths.map(signature).join("|");
  const timer = setInterval(() => {
    const now = paths.map(signature).join("|");
    if (now === last) return;
    last = now;
    onChange();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
