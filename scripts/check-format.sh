#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted as .clang-format says (`make format`
# applies it). Exit 0 clean; 1 with the names of the files that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format > /dev/null || { echo "check-format: clang-format is not installed (scripts/install-deps.sh)"; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
bad=()
for f in "${files[@]}"; do
  clang-format --style=file "$f" | cmp -s - "$f" || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  printf 'check-format: not formatted (run make format): %s\n' "${bad[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
