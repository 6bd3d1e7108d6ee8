import type { ServerMiddleware } from "nice-grpc";
import type { Logger } from "pino";
import { watchFiles } from "../file-watch.js";
import { authMiddleware } from "./auth-middleware.js";
import { readTokensFile } from "./tokens-file.js";

export interface Authentication {
  readonly middleware: ServerMiddleware;
  stop(): void;
}

/**
 * Authentication from the tokens file: read at start (a bad file stops the start with
 * ConfigError), read again whenever it changes; a changed file that does not parse is logged
 * and the previous credentials stay.
 */
export function startAuthentication(path: string, reloadIntervalMs: number, log: Logger): Authentication {
  let credentials = readTokensFile(path);
  log.info({ file: path, entries: credentials.size }, "authentication on");
  const stop = watchFiles([path], reloadIntervalMs, () => {
    try {
      credentials = readTokensFile(path);
      log.info({ file: path, entries: credentials.size }, "tokens file reloaded");
    } catch (e) {
      log.warn({ reason: (e as Error).message }, "tokens file not reloaded; the previous credentials stay");
    }
  });
  return { middleware: authMiddleware(() => credentials), stop };
}
