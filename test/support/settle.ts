import type { TestServer } from "./server.js";

/**
 * Moves simulated time forward in steps, letting the engine finish its work after each, until
 * `done()` holds. Fails after `maxSteps` steps: a bounded loop, never a sleep.
 */
export async function settle(
  s: TestServer,
  done: () => boolean | Promise<boolean>,
  { stepMs = 500, maxSteps = 400 }: { stepMs?: number; maxSteps?: number } = {},
): Promise<number> {
  await s.app.engine.idle();
  for (let step = 0; step <= maxSteps; step++) {
    if (await done()) return step;
    s.clock.advance(stepMs);
    await s.app.engine.idle();
  }
  throw new Error(`not settled after ${maxSteps} steps of ${stepMs} ms`);
}

/** Moves simulated time on by `ms`, in steps of `stepMs`, letting the engine work after each. */
export function elapse(s: TestServer, ms: number, stepMs = 500): Promise<number> {
  const until = s.clock.now() + ms;
  return settle(s, () => s.clock.now() >= until, { stepMs, maxSteps: Math.ceil(ms / stepMs) + 1 });
}
