import type { Config } from "./config.js";

const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);

/** What the start log warns about in how the gRPC port is exposed. */
export function exposureWarnings(config: Pick<Config, "host" | "authTokensFile" | "tls">): string[] {
  if (isLoopback(config.host)) return [];
  const out: string[] = [];
  if (!config.authTokensFile)
    out.push(
      `gRPC on ${config.host} takes calls from other machines without authentication (DeleteJob, StartMaintenance…): set PELOTON_AUTH_TOKENS_FILE`,
    );
  else if (!config.tls)
    out.push(`gRPC on ${config.host} without TLS: tokens and passwords cross the network in plaintext`);
  return out;
}
