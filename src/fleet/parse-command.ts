/**
 * The tiny command language simulated containers run. Pure: text in, syntax tree out.
 *
 * Grammar (shell-like, deliberately small):
 *   script    := command (connector command)* [";" | newline]
 *   connector := ";" | newline | "&&" | "||"     ("&&" and "||" bind left to right, like sh)
 *   command   := word+                             (words may be '…' or "…" quoted, \ escapes)
 *
 * Commands the simulator understands: `sleep N…` (seconds, fractional, with an optional
 * s/m/h/d suffix; several operands add up; `infinity` never ends), `exit [N]` (0–255; ends
 * the whole script), `true`, `false`, and `sh -c '<script>'` / `bash -c '<script>'`.
 * Anything else is a program the simulator cannot see into: it runs forever, like a service.
 */

export const CONNECTORS = [";", "&&", "||"] as const;
export type Connector = (typeof CONNECTORS)[number];

export type SimpleCommand =
  /** `sleep`: `seconds` is Infinity for `sleep infinity`. */
  | { readonly kind: "sleep"; readonly seconds: number }
  /** `exit`: `code` undefined means "the status of the previous command", as in sh. */
  | { readonly kind: "exit"; readonly code: number | undefined }
  | { readonly kind: "true" }
  | { readonly kind: "false" }
  /** `sh -c '<script>'`: runs the inner script in a subshell (its `exit` ends only the subshell). */
  | { readonly kind: "subshell"; readonly script: Script }
  /** Any other program: never ends. */
  | { readonly kind: "program"; readonly words: readonly string[] };

export interface Step {
  /** How this step joins the previous one; the first step's connector is ";". */
  readonly connector: Connector;
  readonly command: SimpleCommand;
}

export interface Script {
  readonly steps: readonly Step[];
}

/** A command that cannot be parsed; `column` is 1-based in `command`. */
export class CommandSyntaxError extends Error {
  override readonly name = "CommandSyntaxError";
  constructor(
    readonly command: string,
    readonly column: number,
    readonly rule: string,
  ) {
    super(`${rule} (at column ${column} of ${JSON.stringify(abbreviate(command))})`);
  }
}

const abbreviate = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

type Token =
  | { readonly type: "word"; readonly value: string; readonly pos: number }
  | { readonly type: "op"; readonly op: Connector; readonly pos: number; readonly newline: boolean };

const isBlank = (c: string): boolean => c === " " || c === "\t" || c === "\r";

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (pos: number, rule: string): never => {
    throw new CommandSyntaxError(text, pos + 1, rule);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "\n" || c === ";") {
      tokens.push({ type: "op", op: ";", pos: i, newline: c === "\n" });
      i++;
      continue;
    }
    if ((c === "&" || c === "|") && text[i + 1] === c) {
      tokens.push({ type: "op", op: c === "&" ? "&&" : "||", pos: i, newline: false });
      i += 2;
      continue;
    }
    // A word: runs until a blank or an operator outside quotes.
    const start = i;
    let value = "";
    while (i < text.length) {
      const d = text[i]!;
      if (isBlank(d) || d === "\n" || d === ";") break;
      if ((d === "&" || d === "|") && text[i + 1] === d) break;
      if (d === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) fail(i, "unterminated single quote");
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (d === '"') {
        const open = i;
        i++;
        for (;;) {
          if (i >= text.length) fail(open, "unterminated double quote");
          const e = text[i]!;
          if (e === '"') break;
          if (e === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
            value += text[i + 1];
            i += 2;
          } else {
            value += e;
            i++;
          }
        }
        i++;
      } else if (d === "\\") {
        if (i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else {
          value += d;
          i++;
        }
      } else {
        value += d;
        i++;
      }
    }
    tokens.push({ type: "word", value, pos: start });
  }
  return tokens;
}

const SLEEP_OPERAND = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/;
const SLEEP_UNIT_SECONDS: Readonly<Record<string, number>> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };
const SHELLS = new Set(["sh", "bash", "dash", "zsh"]);
const BIN_PREFIX = /^\/(?:usr\/)?bin\//;

/** Parses one `sleep` operand into seconds; undefined when it is not a duration. */
export function parseSleepOperand(s: string): number | undefined {
  if (s === "infinity" || s === "inf") return Number.POSITIVE_INFINITY;
  const m = SLEEP_OPERAND.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * SLEEP_UNIT_SECONDS[m[2]!]!;
}

function simpleCommand(text: string, words: readonly Extract<Token, { type: "word" }>[]): SimpleCommand {
  const fail = (pos: number, rule: string): never => {
    throw new CommandSyntaxError(text, pos + 1, rule);
  };
  const first = words[0]!;
  const name = first.value.replace(BIN_PREFIX, "");
  const args = words.slice(1);
  switch (name) {
    case "sleep": {
      if (args.length === 0) fail(first.pos, "sleep: missing operand (seconds)");
      let seconds = 0;
      for (const a of args) {
        const s = parseSleepOperand(a.value);
        if (s === undefined) {
          fail(
            a.pos,
            `sleep: invalid time interval ${JSON.stringify(a.value)} (want seconds, e.g. 5 or 0.5)`,
          );
        }
        seconds += s!;
      }
      return { kind: "sleep", seconds };
    }
    case "exit": {
      if (args.length > 1) fail(args[1]!.pos, "exit: too many arguments");
      const a = args[0];
      if (!a) return { kind: "exit", code: undefined };
      if (!/^\d+$/.test(a.value)) {
        fail(a.pos, `exit: numeric argument required, got ${JSON.stringify(a.value)}`);
      }
      const code = Number(a.value);
      if (code > 255) fail(a.pos, `exit: status ${a.value} is out of range 0-255`);
      return { kind: "exit", code };
    }
    case "true":
    case ":":
      return { kind: "true" };
    case "false":
      return { kind: "false" };
    default: {
      const flag = args[0];
      const body = args[1];
      if (SHELLS.has(name) && flag && /^-[a-z]*c$/.test(flag.value)) {
        if (!body) fail(flag.pos, `${name} ${flag.value}: option requires a script`);
        try {
          return { kind: "subshell", script: parseCommand(body!.value) };
        } catch (e) {
          if (!(e instanceof CommandSyntaxError)) throw e;
          fail(body!.pos, `in ${name} ${flag.value} script: ${e.rule} at its column ${e.column}`);
        }
      }
      return { kind: "program", words: words.map((w) => w.value) };
    }
  }
}

/**
 * Parses a command line into a Script; throws CommandSyntaxError naming the column and rule.
 * Unknown programs are not errors: they parse as `program` steps that never end.
 */
export function parseCommand(text: string): Script {
  const tokens = tokenize(text);
  const steps: Step[] = [];
  let words: Extract<Token, { type: "word" }>[] = [];
  let pending: Extract<Token, { type: "op" }> | undefined;
  const flush = () => {
    if (words.length === 0) return;
    steps.push({ connector: pending?.op ?? ";", command: simpleCommand(text, words) });
    words = [];
    pending = undefined;
  };
  for (const t of tokens) {
    if (t.type === "word") {
      words.push(t);
      continue;
    }
    if (words.length === 0) {
      // Blank lines and a newline right after && / || are fine, as in sh.
      if (t.newline) continue;
      const rule = `syntax error: unexpected ${JSON.stringify(t.op)} with no command before it`;
      throw new CommandSyntaxError(text, t.pos + 1, rule);
    }
    flush();
    pending = t;
  }
  flush();
  if (pending && pending.op !== ";") {
    const rule = `syntax error: ${JSON.stringify(pending.op)} needs a command after it`;
    throw new CommandSyntaxError(text, pending.pos + 1, rule);
  }
  if (steps.length === 0) throw new CommandSyntaxError(text, 1, "empty command");
  return { steps };
}
