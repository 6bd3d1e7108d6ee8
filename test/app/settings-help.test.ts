import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES, SETTINGS, type Setting } from "../../src/app/settings.js";
import { replaceSettingsTable, settingsMarkdown } from "../../src/app/settings-help.js";

describe("the settings table", () => {
  it("in the README is the one --help's settings make (npm run docs:settings rewrites it)", () => {
    const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
    expect(replaceSettingsTable(readme)).toBe(readme);
  });

  it("has one row per setting with its default", () => {
    const rows = settingsMarkdown().split("\n").slice(2);
    expect(rows).toHaveLength(SETTING_NAMES.length);
    SETTING_NAMES.forEach((name, i) => {
      const d = (SETTINGS[name] as Setting).default;
      expect(rows[i]).toContain(`| \`${name}\` | ${d === undefined ? "unset" : `\`${d}\``} |`);
    });
  });
});
