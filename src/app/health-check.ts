/**
 * `node dist/src/app/health-check.js`: asks this machine's server (the address and TLS settings
 * of the same environment) for grpc.health.v1 status; exits 0 when SERVING, 1 otherwise, with
 * one line on stderr saying why. The image's HEALTHCHECK and an exec probe run it.
 *
 * Over TLS it does not verify the server's certificate (it talks to itself over loopback and
 * sends nothing secret: health needs no credentials), and presents the server's own certificate
 * as its client certificate, so with mTLS the check passes when PELOTON_TLS_CA_FILE signed it.
 */
import { readFileSync } from "node:fs";
import { credentials } from "@grpc/grpc-js";
import { createChannel, createClient } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";
import { ConfigError, loadConfig } from "./config.js";
import { formatAddress, loopbackHost } from "./listen-address.js";

const SERVING = 1;
const TIMEOUT_MS = 3000;

async function check(): Promise<string | undefined> {
  const config = loadConfig(process.env);
  const address = formatAddress({ host: loopbackHost(config.host), port: config.port });
  const creds = config.tls
    ? credentials.createSsl(null, readFileSync(config.tls.keyFile), readFileSync(config.tls.certFile), {
        rejectUnauthorized: false,
      })
    : credentials.createInsecure();
  // A name, not an IP, as the TLS server name (Node warns about IPs there); it is not verified.
  const channel = createChannel(
    address,
    creds,
    config.tls ? { "grpc.ssl_target_name_override": "localhost" } : {},
  );
  try {
    const { status } = await createClient(HealthDefinition, channel).check(
      { service: "" },
      { signal: AbortSignal.timeout(TIMEOUT_MS) },
    );
    return status === SERVING ? undefined : `${address}: not serving (status ${status})`;
  } catch (e) {
    return `${address}: ${(e as Error).message.split("\n")[0]}`;
  } finally {
    channel.close();
  }
}

check().then(
  (problem) => {
    if (problem) process.stderr.write(`health check: ${problem}\n`);
    process.exit(problem ? 1 : 0);
  },
  (e: unknown) => {
    process.stderr.write(`health check: ${e instanceof ConfigError ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
