#include "cli/completions.hpp"

#include "cli/option_table.hpp"

namespace dltdump::cli {

std::string short_description(std::string_view help) {
  const std::size_t end = help.find(". ");
  if (end != std::string_view::npos) help = help.substr(0, end);
  else if (help.ends_with('.') || help.ends_with(':')) help.remove_suffix(1);
  if (help.size() <= kShortDescription) return std::string(help);
  const std::size_t space = help.rfind(' ', kShortDescription - 3);
  return std::string(help.substr(0, space == std::string_view::npos ? kShortDescription - 3 : space)) + "...";
}

namespace {

// The paragraph that describes `e` (the one before it when it shares one).
std::string_view help_of(const OptionEntry& e) {
  const auto table = option_table();
  std::size_t i = static_cast<std::size_t>(e.id);
  while (table[i].shares_help) --i;
  return table[i].help;
}

std::string joined(std::span<const std::string_view> words, std::string_view separator = " ") {
  std::string s;
  for (const std::string_view w : words) {
    if (!s.empty()) s += separator;
    s += w;
  }
  return s;
}

// The short names a shell can take as they are (`-?` is a glob and a zsh pattern character).
bool plain_short(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// bash: one function. The line up to the cursor is split into words as the shell would
// (a backslash-escaped space kept; COMP_WORDS would split at `=` too, depending on
// COMP_WORDBREAKS); a value's completions are made relative to the word bash replaces: after
// `=` when COMP_WORDBREAKS holds `=`, else the whole `--opt=value`. Paths are offered with
// `-o filenames`, so readline quotes what it inserts.
std::string bash_script() {
  std::string kinds, words;
  for (const OptionEntry& e : option_table()) {
    std::string spellings = "--" + std::string(e.long_name);
    for (const char c : e.short_names)
      if (plain_short(c)) spellings += std::string("|-") + c;
    if (e.arity != Arity::Flag) {
      const std::string kind = !e.choices.empty() ? "choices" : e.takes_path ? "path" : "free";
      const std::string list = e.arity == Arity::List ? "1" : "0";
      const std::string separate = e.arity == Arity::Optional ? "0" : "1";
      kinds += "    " + spellings + ") kind=" + kind + " list=" + list + " separate=" + separate + " choices='" +
               joined(e.choices) + "' ;;\n";
    }
    if (e.arity != Arity::Value && e.arity != Arity::List) words += " --" + std::string(e.long_name);
    if (e.arity != Arity::Flag) words += " --" + std::string(e.long_name) + "=";
    for (const char c : e.short_names)
      if (plain_short(c)) words += std::string(" -") + c;
  }
  std::string s = "# bash completion for dltdump. Made by dltdump --generate=complete-bash; do not edit.\n";
  s += "_dltdump_option() {\n  kind='' list=0 separate=0 choices=''\n  case $1 in\n" + kinds + "  esac\n}\n";
  s += R"(_dltdump_values() {  # $1: the value typed so far; sets COMPREPLY (prefixed with $2)
  local head='' value=$1
  if [[ $list == 1 && $value == *,* ]]; then head=${value%,*},; value=${value##*,}; fi
  local IFS=$'\n'
  case $kind in
    choices) COMPREPLY=($(compgen -W "${choices// /$'\n'}" -- "$value")) ;;
    path) COMPREPLY=($(compgen -f -- "$value")); compopt -o filenames 2>/dev/null ;;
    *) COMPREPLY=() ;;
  esac
  local i
  for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$2$head${COMPREPLY[i]}; done
}
_dltdump() {
  # kind, list, separate, choices: set by _dltdump_option, local here (never the user's).
  local line=${COMP_LINE:0:COMP_POINT} cur prev kind list separate choices
  local -a words
  read -a words <<< "$line"  # without -r: a backslash-escaped space stays in its word
  if [[ -z $line || ( $line == *[[:space:]] && $line != *\\[[:space:]] ) ]]; then cur=''; prev=${words[${#words[@]}-1]:-}
  else cur=${words[${#words[@]}-1]}; prev=${words[${#words[@]}-2]:-}; fi
  if [[ $cur == --*=* ]]; then
    _dltdump_option "${cur%%=*}"
    local prefix=''
    [[ $COMP_WORDBREAKS == *=* ]] || prefix=${cur%%=*}=
    _dltdump_values "${cur#*=}" "$prefix"
    return
  fi
  if [[ $prev == -* && $prev != *=* ]]; then
    _dltdump_option "$prev"
    if [[ -n $kind && $separate == 1 ]]; then _dltdump_values "$cur" ''; return; fi
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W ")" +
       words.substr(1) + R"(" -- "$cur"))
    [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
    return
  fi
  local IFS=$'\n'
  COMPREPLY=($(compgen -f -- "$cur"))
  compopt -o filenames 2>/dev/null
}
complete -F _dltdump dltdump
)";
  return s;
}

// Text inside a zsh single-quoted _arguments spec, between `[` and `]`.
std::string zsh_description(std::string_view help) {
  std::string s;
  for (const char c : short_description(help)) {
    if (c == '\'') s += "'\\''";
    else if (c == '[' || c == ']' || c == ':' || c == '\\') s += std::string("\\") + c;
    else s += c;
  }
  return s;
}

// zsh: _arguments specs. `--x=` takes the value after `=` or as the next word, `--x=-` only
// after `=`; `-o+` in the same word or the next; `*` lets a list option repeat.
std::string zsh_script() {
  std::string s =
      "#compdef dltdump\n# zsh completion for dltdump. Made by dltdump --generate=complete-zsh; do not "
      "edit.\n_arguments -s -S \\\n";
  for (const OptionEntry& e : option_table()) {
    const std::string description = "[" + zsh_description(help_of(e)) + "]";
    std::string action;
    if (e.arity != Arity::Flag) {
      const std::string name(e.value_name);
      if (!e.choices.empty())
        action = e.arity == Arity::List ? ":" + name + ":_values -s , " + name + " " + joined(e.choices)
                                        : ":" + name + ":(" + joined(e.choices) + ")";
      else if (e.takes_path) action = ":" + name + ":_files";
      else action = ":" + name + ": ";
    }
    const std::string repeat = e.arity == Arity::List ? "*" : "";
    const std::string long_suffix = e.arity == Arity::Optional ? "=-" : e.arity == Arity::Flag ? "" : "=";
    s += "  '" + repeat + "--" + std::string(e.long_name) + long_suffix + description + action + "' \\\n";
    for (const char c : e.short_names) {
      const std::string name = plain_short(c) ? std::string(1, c) : std::string("\\") + c;
      s += "  '" + repeat + "-" + name + (e.arity == Arity::Flag ? "" : "+") + description + action + "' \\\n";
    }
  }
  s += "  '*:input:_files'\n";
  return s;
}

// Text inside a fish single-quoted argument.
std::string fish_quoted(std::string_view text) {
  std::string s = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') s += '\\';
    s += c;
  }
  return s + "'";
}

// fish: one `complete` per option; -x: takes a value, no file; -r -F: takes a path.
std::string fish_script() {
  std::string s = "# fish completion for dltdump. Made by dltdump --generate=complete-fish; do not edit.\n";
  // A list option's values after the items typed so far (`--type=warn,er` → warn,error).
  s += "function __dltdump_list_values\n"
       "    set -l typed (string replace -r -- '^--[^=]*=' '' (commandline -ct))\n"
       "    set -l head (string replace -r -- '[^,]*$' '' $typed)\n"  // always one element, maybe empty
       "    for value in $argv\n"
       "        echo $head$value\n"
       "    end\n"
       "end\n";
  for (const OptionEntry& e : option_table()) {
    s += "complete -c dltdump";
    for (const char c : e.short_names)
      if (plain_short(c)) s += std::string(" -s ") + c;
    s += " -l " + std::string(e.long_name);
    if (e.arity == Arity::Value || e.arity == Arity::List) s += e.takes_path ? " -r -F" : " -x";
    else if (e.arity == Arity::Optional && !e.choices.empty()) s += " -f";  // `--stats=` offers its choices only
    if (!e.choices.empty())
      s += " -a " + fish_quoted(e.arity == Arity::List ? "(__dltdump_list_values " + joined(e.choices) + ")"
                                                       : joined(e.choices));
    s += " -d " + fish_quoted(short_description(help_of(e))) + "\n";
  }
  return s;
}

}  // namespace

std::string completion_script(Shell shell) {
  switch (shell) {
    case Shell::Bash: return bash_script();
    case Shell::Zsh: return zsh_script();
    case Shell::Fish: return fish_script();
  }
  return {};
}

}  // namespace dltdump::cli
