#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted as .clang-format says (`make format`
# applies it), and that no test script's check reads a status a command substitution has
# reset. Exit 0 clean; 1 with the names of the files (or lines) that differ.
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
# `cmd; check "name $(cat f)" $?` passes the status of the substitution, not of cmd: such a
# check can never fail. Take the status first (cmd; st=$?; check "..." $st).
if stale=$(git ls-files '*.sh' | xargs grep -nE '(^\s*|[;&|]\s*)check .*\$\([^(].*\$\?\s*$'); then
  printf 'check-format: a check whose $? a $(...) in its name resets:\n%s\n' "$stale"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
