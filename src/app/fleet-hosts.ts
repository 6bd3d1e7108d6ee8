import { readFileSync } from "node:fs";
import type { HostSpec } from "../domain/host.js";
import { defaultFleet } from "../fleet/default-fleet.js";
import { parseFleetFile } from "../fleet/parse-fleet-file.js";
import { isAppError } from "../lib/app-error.js";
import { ConfigError, type FleetConfig } from "./config.js";

/** The hosts of the simulated fleet the configuration asks for. */
export function fleetHosts(config: FleetConfig): HostSpec[] {
  if (config.kind === "default") return defaultFleet(config.hosts);
  let text: string;
  try {
    text = readFileSync(config.path, "utf8");
  } catch (e) {
    throw new ConfigError(
      `PELOTON_FLEET_FILE=${config.path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
  try {
    return parseFleetFile(text);
  } catch (e) {
    if (isAppError(e))
      throw new ConfigError(`PELOTON_FLEET_FILE=${config.path}: ${e.message.replace(/\n/g, "; ")}`);
    throw e;
  }
}
