import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { outcomeOf } from "../../src/fleet/command-outcome.js";
import { CommandSyntaxError, parseCommand, parseSleepOperand } from "../../src/fleet/parse-command.js";

const syntaxError = (text: string): CommandSyntaxError => {
  try {
    parseCommand(text);
  } catch (e) {
    if (e instanceof CommandSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
};

describe("parseCommand", () => {
  it("parses the builtins and joins steps with their connectors", () => {
    expect(parseCommand("sleep 5; exit 3 && true || false").steps).toEqual([
      { connector: ";", command: { kind: "sleep", seconds: 5 } },
      { connector: ";", command: { kind: "exit", code: 3 } },
      { connector: "&&", command: { kind: "true" } },
      { connector: "||", command: { kind: "false" } },
    ]);
  });

  it("reads fractional, suffixed, summed and infinite sleeps", () => {
    const seconds = (text: string) => {
      const step = parseCommand(text).steps[0]!.command;
      return step.kind === "sleep" ? step.seconds : Number.NaN;
    };
    expect(seconds("sleep 0.5")).toBe(0.5);
    expect(seconds("sleep .25")).toBe(0.25);
    expect(seconds("sleep 2m")).toBe(120);
    expect(seconds("sleep 1 2.5")).toBe(3.5);
    expect(seconds("/bin/sleep 1h")).toBe(3600);
    expect(seconds("sleep infinity")).toBe(Number.POSITIVE_INFINITY);
  });

  it("treats anything else as a program, keeping quoted operators inside words", () => {
    expect(parseCommand(`./server --port 8080 --name 'a;b' --x "c && d" e\\;f`).steps).toEqual([
      {
        connector: ";",
        command: {
          kind: "program",
          words: ["./server", "--port", "8080", "--name", "a;b", "--x", "c && d", "e;f"],
        },
      },
    ]);
  });

  it("takes newlines as separators, allows a trailing ';' and ignores comments", () => {
    const script = parseCommand("# warm up\nsleep 1\n\nfalse ||\n  exit 2;\n");
    expect(script.steps.map((s) => [s.connector, s.command.kind])).toEqual([
      [";", "sleep"],
      [";", "false"],
      ["||", "exit"],
    ]);
  });

  it("parses sh -c scripts as subshells", () => {
    const step = parseCommand(`bash -c 'sleep 2; exit 4'`).steps[0]!.command;
    expect(step).toEqual({
      kind: "subshell",
      script: {
        steps: [
          { connector: ";", command: { kind: "sleep", seconds: 2 } },
          { connector: ";", command: { kind: "exit", code: 4 } },
        ],
      },
    });
  });

  it.each([
    ["", 1, "empty command"],
    ["  # only a comment", 1, "empty command"],
    ["sleep", 1, "sleep: missing operand (seconds)"],
    ["sleep abc", 7, 'sleep: invalid time interval "abc"'],
    ["sleep -1", 7, 'sleep: invalid time interval "-1"'],
    ["true; sleep 5x", 13, 'sleep: invalid time interval "5x"'],
    ["exit 300", 6, "exit: status 300 is out of range 0-255"],
    ["exit three", 6, 'exit: numeric argument required, got "three"'],
    ["exit 1 2", 8, "exit: too many arguments"],
    ["; true", 1, 'syntax error: unexpected ";" with no command before it'],
    ["true ;; false", 7, 'syntax error: unexpected ";" with no command before it'],
    ["true && && false", 9, 'syntax error: unexpected "&&" with no command before it'],
    ["sleep 1 &&", 9, 'syntax error: "&&" needs a command after it'],
    ["false ||  ", 7, 'syntax error: "||" needs a command after it'],
    ["echo 'oops", 6, "unterminated single quote"],
    ['echo "oops', 6, "unterminated double quote"],
    ["sh -c", 4, "sh -c: option requires a script"],
    ["sh -c 'exit x'", 7, 'in sh -c script: exit: numeric argument required, got "x" at its column 6'],
  ])("rejects %j at column %i: %s", (text, column, rule) => {
    const e = syntaxError(text);
    expect(e.column).toBe(column);
    expect(e.rule.startsWith(rule)).toBe(true);
    expect(e.message).toContain(`at column ${column}`);
  });
});

describe("parseSleepOperand", () => {
  it("accepts durations and refuses the rest", () => {
    expect(parseSleepOperand("1.5s")).toBe(1.5);
    expect(parseSleepOperand("1d")).toBe(86400);
    expect(parseSleepOperand("inf")).toBe(Number.POSITIVE_INFINITY);
    for (const bad of ["", "1.2.3", "5ms", "-2", "1e3", "x"]) expect(parseSleepOperand(bad)).toBeUndefined();
  });
});

// ---- properties ----

const blank = fc.constantFrom("", " ", "  ", "\t");
/** A sleep duration as text, with its value: whole or fractional seconds. */
const sleepArg = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(1, 10, 1000))
  .map(([n, d]) => String(n / d));

describe("command language properties", () => {
  it("a ';'-chain of sleeps runs for the sum of the sleeps and exits 0", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sleepArg, blank, blank), { minLength: 1, maxLength: 20 }), (parts) => {
        const text = parts.map(([n, a, b]) => `${a}sleep ${n}${b}`).join(";");
        const expected = parts.reduce((sum, [n]) => sum + Number(n), 0);
        const outcome = outcomeOf(parseCommand(text));
        expect(outcome.ends).toBe(true);
        if (!outcome.ends) return;
        expect(outcome.seconds).toBeCloseTo(expected, 6);
        expect(outcome.exitCode).toBe(0);
      }),
    );
  });

  type Cmd = { sleep: number } | { exit: number } | "true" | "false";
  const cmd: fc.Arbitrary<Cmd> = fc.oneof(
    fc.integer({ min: 0, max: 50 }).map((sleep) => ({ sleep })),
    fc.integer({ min: 0, max: 255 }).map((exit) => ({ exit })),
    fc.constant("true" as const),
    fc.constant("false" as const),
  );
  const render = (c: Cmd): string =>
    typeof c === "string" ? c : "sleep" in c ? `sleep ${c.sleep}` : `exit ${c.exit}`;

  it("evaluates chains as sh does (checked against a model over the parts)", () => {
    fc.assert(
      fc.property(
        cmd,
        fc.array(fc.tuple(fc.constantFrom(";", "&&", "||"), cmd), { maxLength: 12 }),
        (first, rest) => {
          const text = [render(first), ...rest.map(([op, c]) => `${op} ${render(c)}`)].join(" ");
          // The model: walk the parts, skipping by the previous status, stopping at exit.
          let t = 0;
          let status = 0;
          let exited: number | undefined;
          for (const [op, c] of [[";", first] as const, ...rest]) {
            if ((op === "&&" && status !== 0) || (op === "||" && status === 0)) continue;
            if (c === "true") status = 0;
            else if (c === "false") status = 1;
            else if ("sleep" in c) {
              t += c.sleep;
              status = 0;
            } else {
              exited = c.exit;
              break;
            }
          }
          expect(outcomeOf(parseCommand(text))).toEqual({
            ends: true,
            seconds: t,
            exitCode: exited ?? status,
          });
        },
      ),
    );
  });

  it("a chain that reaches an unknown program or `sleep infinity` never ends", () => {
    fc.assert(
      fc.property(
        fc.array(sleepArg, { maxLength: 5 }),
        fc.constantFrom("./server --port 8080", "sleep infinity", "nginx -g 'daemon off;'"),
        (sleeps, service) => {
          const text = [...sleeps.map((n) => `sleep ${n}`), service].join("; ");
          expect(outcomeOf(parseCommand(text))).toEqual({ ends: false });
        },
      ),
    );
  });

  it("single-quoted words come back verbatim as program arguments", () => {
    const word = fc.string({
      unit: fc.constantFrom("a", " ", ";", "&", "|", '"', "\\", "$", "#", "\n", "x"),
    });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const text = ["./prog", ...words.map((w) => `'${w}'`)].join(" ");
        expect(parseCommand(text).steps).toEqual([
          { connector: ";", command: { kind: "program", words: ["./prog", ...words] } },
        ]);
      }),
    );
  });

  it("any text either parses or fails with a CommandSyntaxError pointing inside it", () => {
    const text = fc.string({
      unit: fc.constantFrom(
        "sleep",
        "exit",
        "true",
        "false",
        " ",
        ";",
        "&",
        "|",
        "'",
        '"',
        "\\",
        "1",
        ".",
        "\n",
        "x",
      ),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (t) => {
        try {
          const outcome = outcomeOf(parseCommand(t));
          if (outcome.ends) {
            expect(outcome.seconds).toBeGreaterThanOrEqual(0);
            expect(outcome.exitCode).toBeGreaterThanOrEqual(0);
            expect(outcome.exitCode).toBeLessThanOrEqual(255);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(CommandSyntaxError);
          const err = e as CommandSyntaxError;
          expect(err.column).toBeGreaterThanOrEqual(1);
          expect(err.column).toBeLessThanOrEqual(Math.max(1, t.length));
        }
      }),
    );
  });
});
