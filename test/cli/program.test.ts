import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { runCli } from "../../src/cli/run-cli.js";
import { ManualClock } from "../../src/lib/clock.js";
import { Capture } from "./support/fake-progress.js";

const io = () => ({
  stdout: new Capture(),
  stderr: new Capture(),
  signal: new AbortController().signal,
  clock: new ManualClock(0),
});

function leaves(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  if (cmd.commands.length === 0) return [{ path: path.join(" "), cmd }];
  return cmd.commands.flatMap((c) => leaves(c as Command, [...path, c.name()]));
}

/** What a shell's completion offers for `line` (the word being completed last, possibly ""). */
function bashCompletes(script: string, line: string): string[] {
  const words = line.split(" ");
  const file = join(mkdtempSync(join(tmpdir(), "peloton-completion-")), "peloton.bash");
  writeFileSync(file, script);
  const out = execFileSync(
    "bash",
    [
      "-c",
      `source "$1"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _peloton; printf '%s\\n' "\${COMPREPLY[@]}"`,
      "bash",
      file,
    ],
    { encoding: "utf8" },
  );
  return out.split("\n").filter(Boolean);
}

const hasZsh = spawnSync("zsh", ["-c", "true"]).status === 0;

function zshCompletes(script: string, line: string): string[] {
  const words = line.split(" ");
  const file = join(mkdtempSync(join(tmpdir(), "peloton-completion-")), "peloton.zsh");
  writeFileSync(file, script);
  // compadd and _files exist only inside zsh's completion system: stand-ins print what they get.
  const out = execFileSync(
    "zsh",
    [
      "-c",
      `compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }; _files() { print FILES; }; source "$1"; words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}; _peloton`,
      "zsh",
      file,
    ],
    { encoding: "utf8" },
  );
  return out.split("\n").filter(Boolean);
}

describe("the peloton program", () => {
  it("has Peloton's commands, each with --help ending in examples", () => {
    const { program } = buildProgram(io());
    const paths = leaves(program as unknown as Command).map((l) => l.path);
    for (const expected of [
      "job stateless create",
      "job stateless get",
      "job stateless cache",
      "job stateless refresh",
      "job stateless query",
      "job stateless list",
      "job stateless list-pods",
      "job stateless replace",
      "job stateless replace-diff",
      "job stateless restart",
      "job stateless start",
      "job stateless stop",
      "job stateless delete",
      "job stateless list-updates",
      "job stateless patch",
      "job stateless workflow pause",
      "job stateless workflow resume",
      "job stateless workflow abort",
      "job stateless workflow events",
      "pod get",
      "pod events",
      "pod start",
      "pod stop",
      "pod restart",
      "pod refresh",
      "pod cache",
      "pod logs",
      "respool create",
      "respool get",
      "respool lookup",
      "respool update",
      "respool delete",
      "respool dump",
      "host query",
      "host maintenance start",
      "host maintenance complete",
      "volume list",
      "volume get",
      "volume delete",
      "watch job",
      "watch pod",
      "watch cancel",
      "completion",
    ]) {
      expect(paths).toContain(expected);
    }
    for (const { path, cmd } of leaves(program as unknown as Command)) {
      const out = io();
      const { program: fresh } = buildProgram(out);
      let target = fresh as unknown as Command;
      for (const name of path.split(" ")) target = target.commands.find((c) => c.name() === name) as Command;
      target.outputHelp();
      expect(out.stdout.text, path).toMatch(new RegExp(`Usage: peloton ${path} `));
      expect(out.stdout.text, path).toMatch(/\nExamples:\n {2}\$ (source <\()?peloton /);
      expect(cmd.description(), path).not.toBe("");
    }
  });

  it("answers a usage error with exit code 2 and the reason on stderr", async () => {
    const out = io();
    expect(await runCli(["job", "stateless", "create", "/web"], out)).toBe(2);
    expect(out.stderr.text).toMatch(/error: missing required argument 'spec-file'/);
    const bad = io();
    expect(await runCli(["job", "stateless", "list-pods", "x", "--range", "9:1"], bad)).toBe(2);
    expect(bad.stderr.text).toMatch(/range "9:1" ends before it starts/);
    const help = io();
    expect(await runCli(["--help"], help)).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: peloton \[options\] \[command\]/);
  });

  it("completes commands, options and argument choices in bash", async () => {
    const out = io();
    expect(await runCli(["completion", "bash"], out)).toBe(0);
    const script = out.stdout.text;
    expect(bashCompletes(script, "peloton ")).toEqual(
      expect.arrayContaining(["job", "pod", "respool", "watch"]),
    );
    expect(bashCompletes(script, "peloton job stateless cr")).toEqual(["create"]);
    expect(bashCompletes(script, "peloton job stateless create --ma")).toEqual([
      "--max-instance-retries",
      "--max-tolerable-instance-failures",
    ]);
    expect(bashCompletes(script, "peloton --jobmgr localhost:1 job stateless w")).toEqual(["workflow"]);
    expect(bashCompletes(script, "peloton job stateless workflow ")).toEqual([
      "pause",
      "resume",
      "abort",
      "events",
      "help",
    ]);
    expect(bashCompletes(script, "peloton completion ")).toEqual(["bash", "zsh"]);
    expect(bashCompletes(script, "peloton host --js")).toEqual(["--json"]);
  });

  it.skipIf(!hasZsh)(
    `completes commands, options and argument choices in zsh${hasZsh ? "" : " (skipped: no zsh)"}`,
    async () => {
      const out = io();
      expect(await runCli(["completion", "zsh"], out)).toBe(0);
      const script = out.stdout.text;
      expect(script.startsWith("#compdef peloton\n")).toBe(true);
      expect(zshCompletes(script, "peloton job stateless ")).toEqual(
        expect.arrayContaining(["create", "replace", "workflow"]),
      );
      expect(zshCompletes(script, "peloton pod get --")).toEqual(
        expect.arrayContaining(["--statusonly", "--jobmgr"]),
      );
      expect(zshCompletes(script, "peloton completion ")).toEqual(["bash", "zsh"]);
      expect(zshCompletes(script, "peloton job stateless create /web ")).toEqual(["FILES"]);
    },
  );
});
