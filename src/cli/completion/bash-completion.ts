import type { CompletionNode } from "./completion-tree.js";

const caseArms = (nodes: readonly CompletionNode[], pick: (n: CompletionNode) => readonly string[]): string =>
  nodes.map((n) => `    "${n.path}") echo "${pick(n).join(" ")}" ;;`).join("\n");

/** `source <(peloton completion bash)`: subcommands, options and argument choices at every level. */
export function bashCompletion(nodes: readonly CompletionNode[]): string {
  return `# peloton completion for bash: source <(peloton completion bash)
__peloton_words() {
  case "$1" in
${caseArms(nodes, (n) => n.words)}
  esac
}
__peloton_options() {
  case "$1" in
${caseArms(nodes, (n) => n.options)}
  esac
}
_peloton() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmdpath="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    [[ $w == -* ]] && continue
    [[ " $(__peloton_words "$cmdpath") " == *" $w "* ]] && cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(__peloton_options "$cmdpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(__peloton_words "$cmdpath")" -- "$cur"))
  fi
}
complete -o default -o bashdefault -F _peloton peloton
`;
}
