import { HealthState } from "nice-grpc-server-health";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { startDatabaseProbe } from "../../src/app/db-health.js";
import { Readiness } from "../../src/app/readiness.js";
import { ManualClock } from "../../src/lib/clock.js";

/** A ping the test settles by hand. */
function pings() {
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    ping: () => new Promise<void>((resolve, reject) => waiting.push({ resolve, reject })),
    next: () => {
      const p = waiting.shift();
      if (!p) throw new Error("no ping in flight");
      return p;
    },
    get inFlight() {
      return waiting.length;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("startDatabaseProbe", () => {
  it("drives health: NOT_SERVING when a ping fails or takes longer than the interval, SERVING when one answers", async () => {
    const clock = new ManualClock();
    const health = HealthState();
    const readiness = new Readiness(health, ["svc.A"]);
    const p = pings();
    const probe = startDatabaseProbe({
      ping: p.ping,
      intervalMs: 100,
      readiness,
      log: pino({ level: "silent" }),
      clock,
    });
    expect(health.getStatus()).toBe("healthy");

    clock.advance(100);
    p.next().reject(new Error("connect ECONNREFUSED"));
    await settle();
    expect(health.getStatus()).toBe("unhealthy");
    expect(health.getStatus("svc.A")).toBe("unhealthy");
    expect(readiness.report().conditions.database).toEqual({
      ok: false,
      detail: "no answer: connect ECONNREFUSED",
    });

    clock.advance(100);
    p.next().resolve();
    await settle();
    expect(health.getStatus()).toBe("healthy");
    expect(readiness.ready).toBe(true);

    // A ping that hangs counts as no answer once the interval has passed.
    clock.advance(100);
    expect(p.inFlight).toBe(1);
    clock.advance(100);
    await settle();
    expect(health.getStatus()).toBe("unhealthy");

    await probe.stop();
    clock.advance(1000);
    expect(p.inFlight).toBe(1); // the hung one; nothing new after stop
  });

  it("keeps other conditions: shutting down is NOT_SERVING whatever the database says", () => {
    const health = HealthState();
    const readiness = new Readiness(health, []);
    readiness.set("database", true);
    readiness.set("shutdown", false, "shutting down");
    expect(health.getStatus()).toBe("unhealthy");
    expect(readiness.report()).toEqual({
      ready: false,
      conditions: { database: { ok: true }, shutdown: { ok: false, detail: "shutting down" } },
    });
  });
});
