// The shell side of completion: a function that hands the command line to the tool
// (`<tool> --get-completions <words...>`) and offers what it prints, registered for every kafkit tool.

/** bash: the line is split on blanks (not on COMP_WORDBREAKS, which would split host:port and k=v). */
function bashScript(tools: string[]): string {
  return `# kafkit completion for bash: source <(kafka-topics --completion-script bash)
_kafkit_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}" words cur prefix
  read -ra words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  ((\${#words[@]} < 2)) && return 0
  local IFS=$'\\n'
  COMPREPLY=($("\${words[0]}" --get-completions "\${words[@]:1}" 2>/dev/null))
  # bash replaces only its own current word, which starts after the last = or : of ours.
  cur="\${words[\${#words[@]}-1]}"
  prefix="\${cur%"\${COMP_WORDS[COMP_CWORD]}"}"
  [[ -n "$prefix" && "$prefix" != "$cur" ]] && COMPREPLY=("\${COMPREPLY[@]#"$prefix"}")
  return 0
}
complete -o default -o nosort -F _kafkit_complete ${tools.join(' ')} 2>/dev/null || complete -o default -F _kafkit_complete ${tools.join(' ')}
`;
}

/** zsh: needs compinit loaded (autoload -U compinit && compinit) before it is sourced. */
function zshScript(tools: string[]): string {
  return `# kafkit completion for zsh: source <(kafka-topics --completion-script zsh)
_kafkit_complete() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" --get-completions "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=("\${(@)candidates:#}")
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _kafkit_complete ${tools.join(' ')}
`;
}

export function completionScript(shell: string, tools: string[]): string | undefined {
  if (shell === 'bash') return bashScript(tools);
  if (shell === 'zsh') return zshScript(tools);
  return undefined;
}
