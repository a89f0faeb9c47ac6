#!/usr/bin/env bash
# Checks the layering of src/: every folder is a layer declared in src/CMakeLists.txt with
# `dltdump_layer(<folder>` and a `DEPS <folder>...` line (the folders directly below it).
# A file in a folder may include its own folder, its DEPS, and what they may include —
# nothing above or beside it. Also checks that project includes name their folder (no
# "../x.hpp", no bare "x.hpp"), that the command line (src/cli/) includes only the public
# API (include/dltdump/) and util/, and that docs/architecture.md's layer table lists the same
# DEPS as the build. The build enforces the same rule through include paths; this script
# names the offending line, and catches what include paths cannot (a relative include).
# Usage: scripts/check-layers.sh [source root]   (exit 0 clean, 1 with one line per fault)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cmake_file=$root/src/CMakeLists.txt
doc=$root/docs/architecture.md

declare -A deps=()
layer=
while IFS= read -r line; do
  if [[ $line =~ ^dltdump_layer\(([a-z_]+) ]]; then
    layer=${BASH_REMATCH[1]}
    deps[$layer]=""
  elif [[ -n $layer && $line =~ ^[[:space:]]+DEPS[[:space:]]+(.*)$ ]]; then
    deps[$layer]=${BASH_REMATCH[1]}
  elif [[ $line =~ ^\) ]]; then
    layer=
  fi
done < "$cmake_file"
((${#deps[@]} > 0)) || { echo "check-layers: no dltdump_layer() in $cmake_file"; exit 1; }

# allowed[L]: L's DEPS and, recursively, theirs.
declare -A allowed=()
closure() {
  local l=$1 d out=" "
  for d in ${deps[$l]}; do
    [[ -v deps[$d] ]] || { echo "check-layers: layer $l names unknown layer $d" >&2; exit 1; }
    out+="$d $(closure "$d") "
  done
  echo "$out"
}
for l in "${!deps[@]}"; do allowed[$l]=" $(closure "$l") "; done

faults=0
fault() { echo "$1"; faults=$((faults + 1)); }

for dir in "$root"/src/*/; do
  folder=$(basename "$dir")
  [[ -v deps[$folder] ]] || fault "src/$folder/: a folder that is no layer (declare it with dltdump_layer in src/CMakeLists.txt)"
done

# Every project include of every source file, in one pass: "file:line:text".
allowed_list=""
for l in "${!deps[@]}"; do
  # unique, sorted, for the messages
  allowed[$l]=" $(tr ' ' '\n' <<< "${allowed[$l]}" | { grep -v '^$' || true; } | sort -u | tr '\n' ' ')"
  allowed_list+="$l=${allowed[$l]};"
done
while IFS= read -r line; do
  [[ -n $line ]] && fault "$line"
done < <(cd "$root" && grep -rn -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' src \
           --include='*.hpp' --include='*.cpp' --include='*.hpp.in' |
         awk -v layers="$allowed_list" '
  BEGIN {
    n = split(layers, entries, ";")
    for (i = 1; i <= n; i++) if (entries[i] != "") {
      split(entries[i], kv, "="); known[kv[1]] = 1; may[kv[1]] = kv[2]
    }
  }
  {
    split($0, parts, ":"); file = parts[1]; number = parts[2]
    split(file, path, "/"); folder = path[2]
    if (!(folder in known)) next
    target = $0; sub(/^[^"]*"/, "", target); sub(/".*$/, "", target)
    if (target !~ /\// || target ~ /^\.\.?\//) {
      print file ":" number ": #include \"" target "\": name the folder (\"<folder>/<file>\")"; next
    }
    to = target; sub(/\/.*$/, "", to)
    if (to == folder) next
    # The public headers (include/dltdump/) belong to the library'"'"'s API layer and to
    # the command line, which is built on them: besides them it includes util/ alone.
    if (to == "dltdump") {
      if (folder != "api" && folder != "cli")
        print file ":" number ": #include \"" target "\": only src/api/ and src/cli/ include the public API"
      next
    }
    if (folder == "cli" && to != "util") {
      print file ":" number ": #include \"" target "\": the command line is built on the public API (dltdump/) and util/ alone"
      next
    }
    if (!(to in known)) print file ":" number ": #include \"" target "\": " to " is not a layer of src/"
    else if (index(may[folder], " " to " ") == 0) {
      shown = may[folder]; sub(/ +$/, "", shown)
      print file ":" number ": #include \"" target "\": " folder " may not include " to " (allowed:" shown ")"
    }
  }')

# The picture in docs/architecture.md: one row "| `<layer>` | `<dep>`, `<dep>` | ..." per layer.
for l in "${!deps[@]}"; do
  want=$(tr ' ' '\n' <<< "${deps[$l]}" | { grep -v '^$' || true; } | sort | tr '\n' ' ')
  row=$(grep -E "^\| \`$l\` \|" "$doc" | head -n 1 || true)
  if [[ -z $row ]]; then
    fault "docs/architecture.md: the layer table has no row for \`$l\`"
    continue
  fi
  have=$(cut -d'|' -f3 <<< "$row" | grep -oE '`[a-z_]+`' | tr -d '`' | sort | tr '\n' ' ' || true)
  [[ $have == "$want" ]] || fault "docs/architecture.md: layer \`$l\` lists \"$have\" below it, the build \"$want\""
done

if ((faults > 0)); then
  echo "check-layers: $faults fault(s)"
  exit 1
fi
echo "check-layers: ${#deps[@]} layers, every include goes down"
