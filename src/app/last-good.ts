/**
 * A read that answers its last good result when it fails (and it has one), telling `onFallback`
 * once per run of failures and `onRecovered` when a read works again; the first read's failure
 * is thrown. For what the engine reads inside a tick before its commit (the pool tree): a tick
 * that throws there drops the fleet reports it had taken, whereas a tick that goes on reaches its
 * commit, which fails too while the database is away, and keeps them for the retry.
 */
export function lastGood<T>(
  read: () => Promise<T>,
  { onFallback, onRecovered }: { onFallback: (e: unknown) => void; onRecovered: () => void },
): () => Promise<T> {
  let last: { value: T } | undefined;
  let failing = false;
  return async () => {
    try {
      const value = await read();
      last = { value };
      if (failing) {
        failing = false;
        onRecovered();
      }
      return value;
    } catch (e) {
      if (!last) throw e;
      if (!failing) {
        failing = true;
        onFallback(e);
      }
      return last.value;
    }
  };
}
