import { describe, expect, it } from "vitest";
import { parseTokensFile } from "../../../src/app/auth/tokens-file.js";
import { ConfigError } from "../../../src/app/config.js";

const SECRET = "s3cret-s3cret-s3cret";
const parse = (doc: unknown) => parseTokensFile(JSON.stringify(doc), "/etc/peloton/tokens.json");

describe("parseTokensFile", () => {
  it("accepts tokens and users, read-only or read-write, and matches only the exact secret", () => {
    const c = parse({
      tokens: [
        { name: "ci", token: SECRET, access: "read-write" },
        { name: "grafana", token: `${SECRET}-ro`, access: "read-only" },
      ],
      users: [{ username: "alice", password: `${SECRET}-alice`, access: "read-only" }],
    });
    expect(c.size).toBe(3);
    expect(c.bearer(SECRET)).toEqual({ name: "ci", access: "read-write" });
    expect(c.bearer(`${SECRET}-ro`)).toEqual({ name: "grafana", access: "read-only" });
    expect(c.bearer(`${SECRET}x`)).toBeUndefined();
    expect(c.bearer(SECRET.slice(0, -1))).toBeUndefined();
    expect(c.user("alice", `${SECRET}-alice`)).toEqual({ name: "alice", access: "read-only" });
    expect(c.user("alice", SECRET)).toBeUndefined();
    // A user's password is not a bearer token.
    expect(c.bearer(`${SECRET}-alice`)).toBeUndefined();
  });

  it.each([
    ["not json", "not JSON"],
    [[], 'must be an object with "tokens" and/or "users"'],
    [{}, "lists no token and no user"],
    [{ token: [] }, 'unknown key "token"'],
    [{ tokens: {} }, '"tokens" must be a list'],
    [
      { tokens: [{ name: "a", token: "short", access: "read-only" }] },
      "tokens[0].token: must be 16-1024 characters",
    ],
    [
      { tokens: [{ name: "a", token: SECRET, access: "admin" }] },
      'tokens[0].access: must be "read-only" or "read-write"',
    ],
    [{ tokens: [{ name: "a", token: SECRET }] }, "tokens[0].access: must be a string"],
    [
      { tokens: [{ name: "a", token: SECRET, access: "read-only", extra: 1 }] },
      'tokens[0]: unknown key "extra"',
    ],
    [
      {
        tokens: [{ name: "a", token: SECRET, access: "read-only" }],
        users: [{ username: "a", password: SECRET, access: "read-only" }],
      },
      'users[0]: "a" is listed twice',
    ],
  ])("refuses %j, naming the entry and never the secret", (doc, reason) => {
    const text = typeof doc === "string" ? doc : JSON.stringify(doc);
    let error: unknown;
    try {
      parseTokensFile(text, "/etc/peloton/tokens.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("PELOTON_AUTH_TOKENS_FILE=/etc/peloton/tokens.json: ");
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).not.toContain(SECRET);
  });
});
