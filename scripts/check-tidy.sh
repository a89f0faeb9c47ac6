#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: a few bug-prone patterns and the naming style) on the
# source files a change touches: those changed since TIDY_BASE (default HEAD~1), and for a
# changed header every source file that includes it; `--all` checks every file of src/.
# Usage: scripts/check-tidy.sh BUILD_DIR [--all]   (BUILD_DIR holds compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: check-tidy.sh BUILD_DIR [--all]}
command -v clang-tidy > /dev/null || { echo "check-tidy: clang-tidy is not installed (scripts/install-deps.sh)"; exit 1; }
[[ -f $build/compile_commands.json ]] || { echo "check-tidy: no $build/compile_commands.json (configure the build first)"; exit 1; }
if [[ ${2:-} == --all ]] || ! git rev-parse -q --verify "${TIDY_BASE:-HEAD~1}" > /dev/null; then
  mapfile -t changed < <(git ls-files 'src/*.cpp')
else
  mapfile -t changed < <(git diff --name-only "${TIDY_BASE:-HEAD~1}" -- 'src/*.cpp' 'src/*.hpp')
fi
declare -A files=()
for f in "${changed[@]}"; do
  [[ -f $f ]] || continue  # deleted
  if [[ $f == *.cpp ]]; then
    files[$f]=1
  else
    # A changed header: every source file of src/ that includes it.
    while IFS= read -r cpp; do files[$cpp]=1; done < <(git grep -l -F "#include \"${f#src/}\"" -- 'src/*.cpp' || true)
  fi
done
if ((${#files[@]} == 0)); then
  echo "check-tidy: no changed source file"
  exit 0
fi
clang-tidy -p "$build" --quiet "${!files[@]}"
echo "check-tidy: ${#files[@]} files clean"
