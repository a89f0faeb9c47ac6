#!/usr/bin/env bash
# Checks the layering of src/: every folder is a layer declared in src/CMakeLists.txt with
# `dltdump_layer(<folder>` and a `DEPS <folder>...` line (the folders directly below it).
# A file in a folder may include its own folder, its DEPS, and what they may include —
# nothing above or beside it. Also checks that project includes name their folder (no
# "../x.hpp", no bare "x.hpp") and that docs/architecture.md's layer table lists the same
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

while IFS= read -r -d '' file; do
  rel=${file#"$root"/}
  folder=$(cut -d/ -f2 <<< "$rel")
  [[ -v deps[$folder] ]] || continue
  while IFS=: read -r number text; do
    target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)".*/\1/' <<< "$text")
    if [[ $target != */* || $target == ../* || $target == ./* ]]; then
      fault "$rel:$number: #include \"$target\": name the folder (\"<folder>/<file>\")"
      continue
    fi
    to=${target%%/*}
    [[ $to == "$folder" ]] && continue
    if [[ ! -v deps[$to] ]]; then
      fault "$rel:$number: #include \"$target\": $to is not a layer of src/"
    elif [[ ${allowed[$folder]} != *" $to "* ]]; then
      fault "$rel:$number: #include \"$target\": $folder may not include $to (allowed: ${allowed[$folder]// / })"
    fi
  done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
done < <(find "$root/src" -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.hpp.in' \) -print0)

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
