import type { Logger } from "pino";
import { type Clock, systemClock } from "../lib/clock.js";
import type { Readiness } from "./readiness.js";

export interface DatabaseProbeOptions {
  /** One cheap round trip (`select 1`). */
  readonly ping: () => Promise<unknown>;
  readonly intervalMs: number;
  readonly readiness: Readiness;
  readonly log: Logger;
  /** Real time by default: the probe paces itself, whatever clock the engine runs on. */
  readonly clock?: Clock;
}

export interface DatabaseProbe {
  /** Resolves once the probe in flight (if any) has settled; no probe starts after. */
  stop(): Promise<void>;
}

/**
 * Asks the database every `intervalMs` whether it answers (a ping slower than the interval
 * counts as no answer) and sets the readiness condition `database`: gRPC health goes
 * NOT_SERVING while it does not answer and SERVING again once it does.
 */
export function startDatabaseProbe(options: DatabaseProbeOptions): DatabaseProbe {
  const { ping, intervalMs, readiness, log } = options;
  const clock = options.clock ?? systemClock;
  let answering = true;
  let stopped = false;
  let cancelNext = () => {};
  let inFlight: Promise<void> = Promise.resolve();

  const probe = async () => {
    let cancelTimeout = () => {};
    const timedOut = new Promise<never>((_, reject) => {
      cancelTimeout = clock.setTimer(intervalMs, () =>
        reject(new Error(`no answer within ${intervalMs} ms`)),
      );
    });
    let failure: unknown;
    try {
      await Promise.race([ping(), timedOut]);
    } catch (e) {
      failure = e;
    } finally {
      cancelTimeout();
    }
    if (stopped) return;
    const now = failure === undefined;
    if (now !== answering) {
      answering = now;
      if (now) log.info("database answers again");
      else log.warn({ err: failure }, "database does not answer; health NOT_SERVING until it does");
    }
    readiness.set("database", now, now ? undefined : `no answer: ${(failure as Error)?.message ?? failure}`);
  };
  const schedule = () => {
    cancelNext = clock.setTimer(intervalMs, () => {
      inFlight = probe().finally(() => {
        if (!stopped) schedule();
      });
    });
  };
  readiness.set("database", true);
  schedule();
  return {
    async stop() {
      stopped = true;
      cancelNext();
      await inFlight;
    },
  };
}
