import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";

describe("ManualClock", () => {
  it("fires due timers in deadline order and leaves later ones pending", () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push("c"));
    clock.setTimer(10, () => fired.push("a"));
    clock.setTimer(10, () => fired.push("b"));
    clock.setTimer(100, () => fired.push("late"));
    clock.advance(50);
    expect(fired).toEqual(["a", "b", "c"]);
    expect(clock.now()).toBe(1050);
    expect(clock.pending).toBe(1);
  });

  it("fires timers set by a firing timer when they fall due, at their own time", () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.setTimer(5, () => {
      at.push(clock.now());
      clock.setTimer(5, () => at.push(clock.now()));
    });
    clock.advance(20);
    expect(at).toEqual([5, 10]);
  });

  it("does not fire a cancelled timer", () => {
    const clock = new ManualClock(0);
    let fired = false;
    const cancel = clock.setTimer(5, () => {
      fired = true;
    });
    cancel();
    clock.advance(10);
    expect(fired).toBe(false);
  });
});
