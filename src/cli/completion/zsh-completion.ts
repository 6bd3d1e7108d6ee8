import type { CompletionNode } from "./completion-tree.js";

const caseArms = (nodes: readonly CompletionNode[], pick: (n: CompletionNode) => readonly string[]): string =>
  nodes.map((n) => `    "${n.path}") reply=(${pick(n).join(" ")}) ;;`).join("\n");

/**
 * `source <(peloton completion zsh)` after compinit: subcommands, options and argument choices
 * at every level; file names where none fits (spec files).
 */
export function zshCompletion(nodes: readonly CompletionNode[]): string {
  return `#compdef peloton
# peloton completion for zsh: source <(peloton completion zsh), after compinit
__peloton_words() {
  case "$1" in
${caseArms(nodes, (n) => n.words)}
    *) reply=() ;;
  esac
}
__peloton_options() {
  case "$1" in
${caseArms(nodes, (n) => n.options)}
    *) reply=() ;;
  esac
}
_peloton() {
  local cmdpath="" w i
  local -a reply
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    [[ $w == -* ]] && continue
    __peloton_words "$cmdpath"
    (( \${reply[(Ie)$w]} )) && cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  if [[ \${words[CURRENT]} == -* ]]; then
    __peloton_options "$cmdpath"
  else
    __peloton_words "$cmdpath"
  fi
  if (( \${#reply} )); then
    compadd -- "\${reply[@]}"
  else
    _files
  fi
}
if (( $+functions[compdef] )); then compdef _peloton peloton; fi
`;
}
