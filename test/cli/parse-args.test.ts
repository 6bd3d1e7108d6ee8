import { InvalidArgumentError } from "@commander-js/extra-typings";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  collectRange,
  enumParser,
  OPEN_END,
  parseDuration,
  parseInstanceRange,
  parseLabels,
  parseList,
  parseUint,
  parseUint64,
} from "../../src/cli/parse-args.js";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";

const rejects = (f: () => unknown, message: RegExp) => {
  expect(f).toThrow(InvalidArgumentError);
  expect(f).toThrow(message);
};

describe("the CLI's argument parsers", () => {
  it("read durations in ms, s, m and h, a bare number as seconds", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("20s")).toBe(20_000);
    expect(parseDuration("1.5m")).toBe(90_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("3")).toBe(3000);
    rejects(() => parseDuration("soon"), /"soon" is not a duration/);
    rejects(() => parseDuration("-1s"), /not a duration/);
  });

  it("read uint32s, and refuse what is not one", () => {
    expect(parseUint("0")).toBe(0);
    expect(parseUint("4294967295")).toBe(4294967295);
    rejects(() => parseUint("4294967296"), /larger than 4294967295/);
    rejects(() => parseUint("1.5"), /not a whole number/);
    rejects(() => parseUint("-1"), /not a whole number/);
  });

  it("read half-open instance ranges FROM:TO with either end left open", () => {
    expect(parseInstanceRange("0:10")).toEqual({ from: 0, to: 10 });
    expect(parseInstanceRange("5:")).toEqual({ from: 5, to: OPEN_END });
    expect(parseInstanceRange(":3")).toEqual({ from: 0, to: 3 });
    expect(parseInstanceRange(":")).toEqual({ from: 0, to: OPEN_END });
    rejects(() => parseInstanceRange("3"), /not a range FROM:TO/);
    rejects(() => parseInstanceRange("9:2"), /ends before it starts/);
    expect(collectRange("4:6", collectRange("0:2"))).toEqual([
      { from: 0, to: 2 },
      { from: 4, to: 6 },
    ]);
  });

  it("give back every range they are written from", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        expect(parseInstanceRange(`${from}:${to}`)).toEqual({ from, to });
      }),
    );
  });

  it("read labels as key=value (or Peloton's key:value) and lists with commas", () => {
    expect(parseLabels("app=hello, tier:web")).toEqual([
      { key: "app", value: "hello" },
      { key: "tier", value: "web" },
    ]);
    rejects(() => parseLabels("app"), /label "app" is not key=value/);
    expect(parseList(" a,,b , c ")).toEqual(["a", "b", "c"]);
  });

  it("read enum values by name, case-insensitively, with or without their prefix", () => {
    const states = enumParser<JobState>(JobState, "JOB_STATE_");
    expect(states("running,KILLED,JOB_STATE_PENDING")).toEqual([
      JobState.JOB_STATE_RUNNING,
      JobState.JOB_STATE_KILLED,
      JobState.JOB_STATE_PENDING,
    ]);
    rejects(() => states("sleeping"), /"sleeping" is not one of initialized, pending, running/);
    rejects(() => states("invalid"), /not one of/);
  });

  it("keep uint64s as decimal strings, and bound what an error echoes", () => {
    expect(parseUint64("007")).toBe("7");
    expect(parseUint64("18446744073709551615")).toBe("18446744073709551615");
    rejects(() => parseUint64("18446744073709551616"), /below 2\^64/);
    expect(() => parseUint("x".repeat(10_000))).toThrow(/^"x{60}…" is not a whole number$/);
  });
});
