#!/usr/bin/env bash
# Every long option the program knows (its --help, generated from cli/option_table) is
# named in docs/manual.md as `--name`: a new option without a word in the manual fails here.
# Usage: manual_options_test.sh DLTDUMP MANUAL
set -uo pipefail
dltdump=$1 manual=$2
mapfile -t names < <("$dltdump" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
((${#names[@]} > 20)) || { echo "FAIL: --help lists only ${#names[@]} long options"; exit 1; }
missing=()
for n in "${names[@]}"; do
  grep -qE -- "${n}([^a-z-]|$)" "$manual" || missing+=("$n")
done
if ((${#missing[@]} > 0)); then
  echo "FAIL: docs/manual.md does not name: ${missing[*]}"
  exit 1
fi
echo "manual: names all ${#names[@]} long options"
