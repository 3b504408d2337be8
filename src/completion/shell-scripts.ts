/**
 * The scripts `ddbstream completion SHELL` prints. Each is a thin shim: it hands the words on the
 * line to `ddbstream __complete -- WORDS...`, which answers from the program's own definition, so
 * a new command or option completes without touching these. The answer's first line says what
 * to offer (`words`, or `files`/`dirs` for the shell's own file name completion); the candidates
 * follow, one a line.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# ddbstream completion for bash. Add to ~/.bashrc:  source <(ddbstream completion bash)
_ddbstream_completion() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local -a reply
  reply=($(ddbstream __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)) || return 0
  case \${reply[0]} in
    files) COMPREPLY=($(compgen -f -- "\${cur#=}")); compopt -o filenames 2>/dev/null ;;
    dirs) COMPREPLY=($(compgen -d -- "\${cur#=}")); compopt -o filenames 2>/dev/null ;;
    *) COMPREPLY=("\${reply[@]:1}") ;;
  esac
}
complete -F _ddbstream_completion ddbstream
`;

const ZSH = `#compdef ddbstream
# ddbstream completion for zsh. Add to ~/.zshrc, after compinit:  source <(ddbstream completion zsh)
_ddbstream() {
  local -a reply
  reply=("\${(@f)$(ddbstream __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case $reply[1] in
    files) _files ;;
    dirs) _files -/ ;;
    *) (( \${#reply} > 1 )) && compadd -Q -- "\${(@)reply[2,-1]}" ;;
  esac
}
compdef _ddbstream ddbstream
`;

const FISH = `# ddbstream completion for fish. Add to ~/.config/fish/config.fish:  ddbstream completion fish | source
function __ddbstream_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    set -l reply (ddbstream __complete -- $words 2>/dev/null)
    or return
    switch "$reply[1]"
        case files dirs
            __fish_complete_path (commandline -ct)
        case '*'
            printf '%s\\n' $reply[2..-1]
    end
end
complete -c ddbstream -f -a '(__ddbstream_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
