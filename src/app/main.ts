import pino from "pino";
import { DataDirInUseError } from "../store/data-dir-lock.js";
import { startApp } from "./app.js";
import { ConfigError, describeConfig, loadConfig } from "./config.js";
import { checkEnvNames } from "./env-names.js";
import { exposureWarnings } from "./exposure.js";
import { packageVersion } from "./package-root.js";
import { helpText } from "./settings-help.js";

/** `npm start`: reads the environment, starts the server, stops cleanly on SIGTERM/SIGINT. */
async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(helpText(packageVersion()));
    return;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(
      `peloton: unknown argument ${argv[0]!.slice(0, 100)} (settings come from the environment; see --help)\n`,
    );
    process.exit(2);
  }
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
  const names = checkEnvNames(process.env);
  for (const { name, suggestion } of names.unknown) {
    log.warn(
      { variable: name, ...(suggestion ? { didYouMean: suggestion } : {}) },
      `unknown setting ${name} ignored${suggestion ? ` (did you mean ${suggestion}?)` : ""}; see --help`,
    );
  }
  if (names.serviceLinks.length > 0) {
    log.info({ variables: names.serviceLinks }, "Kubernetes service-link variables ignored");
  }
  log.info({ version: packageVersion(), config: describeConfig(config) }, "configuration");
  for (const warning of exposureWarnings(config)) log.warn(warning);
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({ config, log });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`peloton: bad configuration: ${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof DataDirInUseError) {
      process.stderr.write(`peloton: ${e.message}\n`);
      process.exit(1);
    }
    log.fatal({ err: e }, "could not start");
    process.exit(1);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    app.stop(config.shutdownGraceMs).then(
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

void main(process.argv.slice(2));
