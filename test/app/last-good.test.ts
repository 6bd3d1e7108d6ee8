import { describe, expect, it } from "vitest";
import { lastGood } from "../../src/app/last-good.js";

describe("lastGood", () => {
  it("answers the last good result while reads fail, telling once per run of failures", async () => {
    const answers: (number | Error)[] = [
      new Error("down at first"),
      1,
      new Error("a"),
      new Error("b"),
      2,
      new Error("c"),
    ];
    const events: string[] = [];
    const read = lastGood(
      async () => {
        const a = answers.shift()!;
        if (a instanceof Error) throw a;
        return a;
      },
      {
        onFallback: (e) => events.push(`fallback ${(e as Error).message}`),
        onRecovered: () => events.push("recovered"),
      },
    );
    await expect(read()).rejects.toThrow("down at first");
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    expect(await read()).toBe(2);
    expect(await read()).toBe(2);
    expect(events).toEqual(["fallback a", "recovered", "fallback c"]);
  });
});
