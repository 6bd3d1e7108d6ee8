import { stringify } from "yaml";
import type { CliIo } from "./cli-io.js";
import type { MessageType } from "./message-type.js";
import { messageToJson } from "./proto-json.js";

/**
 * What a command prints. With --json: the reply's proto3 JSON (JSON names, enums by name, 64-bit
 * numbers as strings, defaults left out; streams as one JSON value per line), nothing else on
 * stdout. Without: what the command shows people (tables, sentences, YAML with the protos' names).
 */
export class Output {
  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** A reply: its JSON under --json, otherwise `human(message)` (by default the reply as YAML). */
  reply<T>(type: MessageType<T>, message: T, human?: (m: T) => string): void {
    if (this.json)
      this.io.stdout.write(`${JSON.stringify(messageToJson(type.codec, type.desc, message), null, 2)}\n`);
    else this.io.stdout.write(human ? human(message) : yamlOf(type, message));
  }

  /** One message of a stream: a line of JSON under --json, otherwise `human(message)`. */
  streamed<T>(type: MessageType<T>, message: T, human: (m: T) => string): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(messageToJson(type.codec, type.desc, message))}\n`);
    else this.io.stdout.write(human(message));
  }

  /** A line for people only (nothing under --json). */
  say(text: string): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** Where progress goes: stdout, or stderr under --json so that stdout stays JSON. */
  get progressStream() {
    return this.json ? this.io.stderr : this.io.stdout;
  }
}

/** A message as YAML with the .proto files' field names: what a spec file looks like. */
export function yamlOf<T>(type: MessageType<T>, message: T): string {
  const json = messageToJson(type.codec, type.desc, message, { protoNames: true });
  return stringify(json, { lineWidth: 0 });
}
