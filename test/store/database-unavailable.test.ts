import pg from "pg";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/store/database-unavailable.js";
import { freePort } from "../support/scratch-postgres.js";

describe("isDatabaseUnavailable", () => {
  it("knows the driver's error for a database nobody listens on", async () => {
    const client = new pg.Client({ connectionString: `postgres://x@127.0.0.1:${await freePort()}/x` });
    const e = await client.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeDefined();
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    [{ code: "57P01", message: "terminating connection due to administrator command" }, true],
    [{ code: "08006", message: "connection failure" }, true],
    [{ code: "57014", message: "canceling statement due to statement timeout" }, true],
    [new Error("Connection terminated unexpectedly"), true],
    [new Error("timeout exceeded when trying to connect"), true],
    [Object.assign(new AggregateError([{ code: "ECONNREFUSED" }]), {}), true],
    [new Error("wrapped", { cause: { code: "ECONNRESET" } }), true],
    [{ code: "23505", message: "duplicate key value violates unique constraint" }, false],
    [{ code: "42P01", message: 'relation "x" does not exist' }, false],
    [new TypeError("x is undefined"), false],
    ["ECONNREFUSED", false],
  ])("%o → %s", (e, expected) => {
    expect(isDatabaseUnavailable(e)).toBe(expected);
  });
});
