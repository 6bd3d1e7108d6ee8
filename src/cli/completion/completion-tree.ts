import type { Command } from "@commander-js/extra-typings";

/** What completion offers after a command path: its subcommands (or argument choices) and options. */
export interface CompletionNode {
  /** Subcommand names from the root, e.g. "job stateless create"; "" for the root. */
  readonly path: string;
  readonly words: readonly string[];
  readonly options: readonly string[];
}

const optionFlags = (cmd: Command): string[] =>
  cmd.options
    .filter((o) => !o.hidden)
    .flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));

/**
 * Every command of the program as a completion node. A node's options are its own, the global
 * ones (they are taken anywhere) and --help.
 */
export function completionTree(program: Command): CompletionNode[] {
  const globals = optionFlags(program);
  const nodes: CompletionNode[] = [];
  const visit = (cmd: Command, path: string) => {
    const subs = cmd.commands.map((c) => c.name());
    const choices = cmd.registeredArguments.flatMap((a) => a.argChoices ?? []);
    nodes.push({
      path,
      words: subs.length > 0 ? [...subs, "help"] : choices,
      options: [
        ...new Set([...optionFlags(cmd), ...globals, "--help", ...(cmd === program ? ["--version"] : [])]),
      ],
    });
    for (const sub of cmd.commands) visit(sub as Command, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(program, "");
  return nodes;
}
