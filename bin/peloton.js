#!/usr/bin/env node
// The `peloton` command: the built CLI (dist/cli/main.js, from `npm run build`) when there is
// one, otherwise its TypeScript source through tsx, so that `npx peloton` works in a fresh
// checkout after `npm install`.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
