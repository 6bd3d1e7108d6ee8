import { describe, expect, it } from "vitest";
import { jobKey, type KeyString } from "../../../src/engine/loop/entity-key.js";
import { Reconciler } from "../../../src/engine/loop/reconciler.js";
import { ManualClock } from "../../../src/lib/clock.js";

/** A reconciler on a manual clock whose ticks pop what is due and record it. */
function setup(o: { work?: () => number | undefined; tick?: () => Promise<void> } = {}) {
  const clock = new ManualClock(0);
  const ticks: { at: number; keys: KeyString[] }[] = [];
  const errors: unknown[] = [];
  let running = 0;
  let overlapped = false;
  const loop: Reconciler = new Reconciler({
    clock,
    hasWork: (now) => (o.work?.() ?? Number.POSITIVE_INFINITY) <= now,
    nextWorkAt: () => o.work?.(),
    tick: async () => {
      if (++running > 1) overlapped = true;
      try {
        ticks.push({ at: clock.now(), keys: loop.popDue(clock.now()) });
        await o.tick?.();
      } finally {
        running--;
      }
    },
    onTickError: (e) => errors.push(e),
  });
  return { clock, loop, ticks, errors, overlapped: () => overlapped };
}

/** A promise that resolves once `start` is called (a tick began). */
function started() {
  let start = () => {};
  const began = new Promise<void>((r) => {
    start = r;
  });
  return { began, start: () => start() };
}

const a = jobKey("a");
const b = jobKey("b");

describe("the reconciler", () => {
  it("ticks once a key falls due, on the clock's timer, and is idle in between", async () => {
    const { clock, loop, ticks } = setup();
    loop.enqueue(a, 100);
    loop.wake();
    await loop.idle();
    expect(ticks).toEqual([]);
    clock.advance(99);
    await loop.idle();
    expect(ticks).toEqual([]);
    clock.advance(1);
    await loop.idle();
    expect(ticks).toEqual([{ at: 100, keys: [a] }]);
    expect(loop.depth).toBe(0);
  });

  it("moves its timer earlier for a key due sooner, and takes every key due in one tick", async () => {
    const { clock, loop, ticks } = setup();
    loop.enqueue(a, 500);
    loop.wake();
    loop.enqueue(b, 200);
    loop.wake();
    clock.advance(200);
    await loop.idle();
    expect(ticks).toEqual([{ at: 200, keys: [b] }]);
    loop.enqueue(b, 300);
    loop.wake();
    clock.advance(100);
    await loop.idle();
    clock.advance(200);
    await loop.idle();
    expect(ticks.slice(1)).toEqual([
      { at: 300, keys: [b] },
      { at: 500, keys: [a] },
    ]);
    // Keys due by the time a tick starts go in that one tick.
    loop.enqueue(a, 600);
    loop.enqueue(b, 700);
    loop.wake();
    clock.advance(300);
    await loop.idle();
    expect(ticks.slice(3)).toEqual([{ at: 800, keys: [a, b] }]);
  });

  it("runs one tick at a time, and another after it when work came in meanwhile", async () => {
    let release = () => {};
    let hold = true;
    const first = started();
    const { loop, ticks, overlapped } = setup({
      tick: () => {
        first.start();
        return hold ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
    });
    loop.enqueue(a, 0);
    loop.wake();
    const idle = loop.idle();
    await first.began;
    expect(ticks).toHaveLength(1);
    loop.enqueue(b, 0);
    loop.wake();
    loop.wake();
    hold = false;
    release();
    await idle;
    await loop.idle();
    expect(ticks.map((t) => t.keys)).toEqual([[a], [b]]);
    expect(overlapped()).toBe(false);
  });

  it("ticks for other work when it is due (commands, reports, the next scheduling round)", async () => {
    let at: number | undefined = 50;
    const { clock, loop, ticks } = setup({ work: () => at });
    loop.wake();
    await loop.idle();
    expect(ticks).toEqual([]);
    clock.advance(50);
    at = undefined;
    await loop.idle();
    expect(ticks).toEqual([{ at: 50, keys: [] }]);
  });

  it("holds every tick back until blockUntil's time, and is idle while held", async () => {
    const { clock, loop, ticks } = setup();
    loop.blockUntil(1_000);
    loop.enqueue(a, 0);
    loop.wake();
    await loop.idle();
    expect(ticks).toEqual([]);
    clock.advance(999);
    await loop.idle();
    expect(ticks).toEqual([]);
    clock.advance(1);
    await loop.idle();
    expect(ticks).toEqual([{ at: 1_000, keys: [a] }]);
  });

  it("reports a tick that throws and goes on ticking", async () => {
    let fail = true;
    const { loop, ticks, errors } = setup({
      tick: async () => {
        if (fail) {
          fail = false;
          throw new Error("boom");
        }
      },
    });
    loop.enqueue(a, 0);
    loop.wake();
    await loop.idle();
    loop.enqueue(b, 0);
    loop.wake();
    await loop.idle();
    expect(errors).toEqual([new Error("boom")]);
    expect(ticks.map((t) => t.keys)).toEqual([[a], [b]]);
  });

  it("stops: its timer is cancelled and nothing ticks any more", async () => {
    const { clock, loop, ticks } = setup();
    loop.enqueue(a, 10);
    loop.wake();
    expect(clock.pending).toBe(1);
    await loop.stop();
    expect(clock.pending).toBe(0);
    clock.advance(100);
    loop.wake();
    await loop.idle();
    expect(ticks).toEqual([]);
  });

  it("stops while a tick is under way: it finishes first, no other starts, idle answers", async () => {
    let release = () => {};
    let finished = false;
    const first = started();
    const { loop, ticks } = setup({
      tick: () => {
        first.start();
        return new Promise<void>((r) => {
          release = () => {
            finished = true;
            r();
          };
        });
      },
    });
    loop.enqueue(a, 0);
    loop.wake();
    const waiting = loop.idle();
    await first.began;
    expect(ticks).toHaveLength(1);
    loop.enqueue(b, 0);
    const stopped = loop.stop();
    expect(loop.stopped).toBe(true);
    release();
    await stopped;
    expect(finished).toBe(true);
    await waiting;
    await loop.idle();
    expect(ticks).toHaveLength(1);
    expect(loop.depth).toBe(1);
  });
});
