import { SETTING_NAMES, SETTINGS, type Setting } from "./settings.js";

const defaultOf = (name: keyof typeof SETTINGS): string | undefined => (SETTINGS[name] as Setting).default;

/** `--help`: usage and every setting with its default and meaning. */
export function helpText(version: string): string {
  const width = Math.max(...SETTING_NAMES.map((n) => n.length));
  const lines = [
    `peloton-ts ${version}: a server for Uber Peloton's v1alpha gRPC API`,
    "",
    "Usage: node dist/src/app/main.js [--help | --version]     (npm start)",
    "",
    "Settings come from the environment (default in brackets):",
    "",
  ];
  for (const name of SETTING_NAMES) {
    const d = defaultOf(name);
    lines.push(
      `  ${name.padEnd(width)}  ${SETTINGS[name].doc.replaceAll("`", "")}${d === undefined ? "" : ` [${d}]`}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The README's settings table: the same data as `--help`, as Markdown. */
export function settingsMarkdown(): string {
  const rows = SETTING_NAMES.map((name) => {
    const d = defaultOf(name);
    return `| \`${name}\` | ${d === undefined ? "unset" : `\`${d}\``} | ${SETTINGS[name].doc.replaceAll("|", "\\|")} |`;
  });
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

export const SETTINGS_TABLE_START =
  "<!-- settings table: `npm run docs:settings` writes it from --help's settings -->";
export const SETTINGS_TABLE_END = "<!-- end of settings table -->";

/** The README with the table between the two markers replaced by `settingsMarkdown()`. */
export function replaceSettingsTable(readme: string): string {
  const start = readme.indexOf(SETTINGS_TABLE_START);
  const end = readme.indexOf(SETTINGS_TABLE_END);
  if (start < 0 || end < start) throw new Error("README.md: the settings table markers are missing");
  return `${readme.slice(0, start + SETTINGS_TABLE_START.length)}\n${settingsMarkdown()}\n${readme.slice(end)}`;
}
