import { describe, expect, it } from "vitest";
import { checkResultOf, outcomeOf, podOutcomeOf } from "../../src/fleet/command-outcome.js";
import { parseCommand } from "../../src/fleet/parse-command.js";

const outcome = (text: string) => outcomeOf(parseCommand(text));

describe("outcomeOf", () => {
  it.each([
    ["sleep 5; exit 3", { ends: true, seconds: 5, exitCode: 3 }],
    ["true", { ends: true, seconds: 0, exitCode: 0 }],
    ["false", { ends: true, seconds: 0, exitCode: 1 }],
    ["false && sleep 5", { ends: true, seconds: 0, exitCode: 1 }],
    ["false; sleep 5", { ends: true, seconds: 5, exitCode: 0 }],
    ["sleep 1 && false || exit 7", { ends: true, seconds: 1, exitCode: 7 }],
    ["true || exit 7", { ends: true, seconds: 0, exitCode: 0 }],
    ["exit 3; sleep 5", { ends: true, seconds: 0, exitCode: 3 }],
    ["false; exit", { ends: true, seconds: 0, exitCode: 1 }],
    ["sleep 0.25; sleep 0.5", { ends: true, seconds: 0.75, exitCode: 0 }],
    ["sh -c 'sleep 2; exit 4'; true", { ends: true, seconds: 2, exitCode: 0 }],
    ["sh -c 'sleep 2; exit 4' && sleep 9", { ends: true, seconds: 2, exitCode: 4 }],
    ["./server --port 8080", { ends: false }],
    ["sleep infinity", { ends: false }],
    ["sleep 3; ./server", { ends: false }],
    ["false && ./server; exit 0", { ends: true, seconds: 0, exitCode: 0 }],
  ])("%s", (text, expected) => {
    expect(outcome(text)).toEqual(expected);
  });
});

describe("checkResultOf", () => {
  it("passes a check that exits 0 within the timeout, and fails the rest by the timeout", () => {
    expect(checkResultOf(outcome("sleep 1; true"), 2)).toEqual({ passed: true, seconds: 1 });
    expect(checkResultOf(outcome("sleep 2"), 2)).toEqual({ passed: true, seconds: 2 });
    expect(checkResultOf(outcome("false"), 2)).toEqual({ passed: false, seconds: 0 });
    expect(checkResultOf(outcome("sleep 3"), 2)).toEqual({ passed: false, seconds: 2 });
    expect(checkResultOf(outcome("./hang"), 2)).toEqual({ passed: false, seconds: 2 });
  });
});

describe("podOutcomeOf", () => {
  it("fails with the first container to fail, succeeds when all exit 0, else runs forever", () => {
    const [ok2, fail5, fail3, ok9, svc] = [
      "sleep 2",
      "sleep 5; exit 5",
      "sleep 3; exit 3",
      "sleep 9",
      "./svc",
    ].map(outcome) as [ReturnType<typeof outcome>, ...ReturnType<typeof outcome>[]];
    expect(podOutcomeOf([ok2, fail5!, fail3!])).toEqual({
      ends: true,
      seconds: 3,
      exitCode: 3,
      container: 2,
    });
    expect(podOutcomeOf([svc!, fail5!])).toEqual({ ends: true, seconds: 5, exitCode: 5, container: 1 });
    expect(podOutcomeOf([ok9!, ok2])).toEqual({ ends: true, seconds: 9, exitCode: 0, container: 0 });
    expect(podOutcomeOf([ok2, svc!])).toEqual({ ends: false });
    expect(podOutcomeOf([])).toEqual({ ends: false });
  });
});
