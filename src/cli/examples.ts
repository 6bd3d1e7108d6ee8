/** The "Examples:" section every command's --help ends with. */
export function examplesHelp(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
