import { Argument, type Command } from "@commander-js/extra-typings";
import type { CommandContext } from "../command-context.js";
import { bashCompletion } from "../completion/bash-completion.js";
import { completionTree } from "../completion/completion-tree.js";
import { zshCompletion } from "../completion/zsh-completion.js";
import { examplesHelp } from "../examples.js";

/** `completion bash|zsh`: the shell completion script, written from the program's own commands. */
export function addCompletionCommand(program: Command, ctx: CommandContext): void {
  program
    .command("completion")
    .description("print a shell completion script (bash or zsh)")
    .addArgument(new Argument("<shell>", "bash or zsh").choices(["bash", "zsh"] as const))
    .addHelpText(
      "after",
      examplesHelp(
        "source <(peloton completion bash)        # in ~/.bashrc",
        "source <(peloton completion zsh)         # in ~/.zshrc, after compinit",
      ),
    )
    .action((shell) => {
      const nodes = completionTree(program);
      ctx.io.stdout.write(shell === "bash" ? bashCompletion(nodes) : zshCompletion(nodes));
    });
}
