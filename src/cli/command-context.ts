import type { CliIo } from "./cli-io.js";
import type { Clients } from "./connection.js";
import type { Output } from "./output.js";

/** What a command's action works with; clients are opened on first use, with the global options. */
export interface CommandContext {
  readonly io: CliIo;
  clients(): Clients;
  output(): Output;
}
