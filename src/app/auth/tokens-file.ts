import { readFileSync } from "node:fs";
import { ConfigError } from "../config.js";
import { type CredentialSpec, Credentials, type Grant } from "./credentials.js";

const GRANTS: readonly Grant[] = ["read-only", "read-write"];
const MIN_SECRET = 16;
const MAX_SECRET = 1024;
const MAX_NAME = 128;
const MAX_ENTRIES = 10_000;

/**
 * Reads the tokens file (JSON):
 *
 *   { "tokens": [{ "name": "ci", "token": "<at least 16 characters>", "access": "read-write" }],
 *     "users":  [{ "username": "alice", "password": "<at least 16 characters>", "access": "read-only" }] }
 *
 * Either list may be missing. Throws ConfigError naming the file and the entry; a message never
 * contains a secret.
 */
export function readTokensFile(path: string): Credentials {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(
      `PELOTON_AUTH_TOKENS_FILE=${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
  return parseTokensFile(text, path);
}

export function parseTokensFile(text: string, path: string): Credentials {
  const fail = (why: string): never => {
    throw new ConfigError(`PELOTON_AUTH_TOKENS_FILE=${path}: ${why}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail("not JSON (see the README for the format)");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    fail('must be an object with "tokens" and/or "users"');
  const { tokens = [], users = [], ...rest } = doc as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    fail(`unknown key ${JSON.stringify(extra.slice(0, MAX_NAME))} (expected "tokens" and "users")`);
  if (!Array.isArray(tokens)) fail('"tokens" must be a list');
  if (!Array.isArray(users)) fail('"users" must be a list');
  const list = [...(tokens as unknown[]), ...(users as unknown[])];
  if (list.length > MAX_ENTRIES) fail(`at most ${MAX_ENTRIES} tokens and users`);

  const specs: CredentialSpec[] = [];
  const names = new Set<string>();
  const entry = (where: string, e: unknown, keys: readonly string[]): Record<string, string> => {
    if (typeof e !== "object" || e === null) fail(`${where}: must be an object`);
    const obj = e as Record<string, unknown>;
    for (const k of Object.keys(obj))
      if (!keys.includes(k)) fail(`${where}: unknown key ${JSON.stringify(k.slice(0, MAX_NAME))}`);
    for (const k of keys) if (typeof obj[k] !== "string") fail(`${where}.${k}: must be a string`);
    return obj as Record<string, string>;
  };
  const checked = (where: string, name: string, secretKey: string, secret: string, access: string) => {
    if (name === "" || name.length > MAX_NAME) fail(`${where}: the name must be 1-${MAX_NAME} characters`);
    if (names.has(name)) fail(`${where}: ${JSON.stringify(name)} is listed twice`);
    names.add(name);
    if (secret.length < MIN_SECRET || secret.length > MAX_SECRET)
      fail(`${where}.${secretKey}: must be ${MIN_SECRET}-${MAX_SECRET} characters`);
    if (!GRANTS.includes(access as Grant)) fail(`${where}.access: must be "read-only" or "read-write"`);
  };
  (tokens as unknown[]).forEach((t, i) => {
    const where = `tokens[${i}]`;
    const { name, token, access } = entry(where, t, ["name", "token", "access"]);
    checked(where, name!, "token", token!, access!);
    specs.push({ kind: "token", name: name!, token: token!, access: access as Grant });
  });
  (users as unknown[]).forEach((u, i) => {
    const where = `users[${i}]`;
    const { username, password, access } = entry(where, u, ["username", "password", "access"]);
    checked(where, username!, "password", password!, access!);
    specs.push({ kind: "user", username: username!, password: password!, access: access as Grant });
  });
  if (specs.length === 0) fail("lists no token and no user: nobody could call the server");
  return new Credentials(specs);
}
