import pino from "pino";
import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";

/** `npm start`: reads the environment, starts the server, stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`peloton: bad configuration: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = pino({ level: config.logLevel });
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({ config, log });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`peloton: bad configuration: ${e.message}\n`);
      process.exit(2);
    }
    log.fatal({ err: e }, "could not start");
    process.exit(1);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    app.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}

void main();
