#!/usr/bin/env bash
# Interop with COVESA dlt-viewer (Debian package dlt-viewer, headless): for the argument
# types both tools format alike (generator profile "plain": ASCII strings, decimal
# integers, bools, raw data, both byte orders, with and without variable info), the lines
# must agree in time, device time, counter, ids, type, argument count and argument text.
# Two differences are by design and normalised: DltDump prints the session id signed
# (dlt-viewer unsigned), and an empty argument still gets its separator (dlt-viewer
# drops it), so runs of blanks are squeezed on both sides.
set -u
DLTDUMP=$1
DLTGEN=$2
if ! command -v dlt-viewer > /dev/null; then
  echo "SKIPPED: dlt-viewer is not installed (Debian package dlt-viewer)"
  exit 77
fi
export TZ=UTC QT_QPA_PLATFORM=offscreen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$DLTGEN" --profile plain --count 2000 --seed 21 -o "$work/in.dlt"
(cd "$work" && timeout 120 dlt-viewer -s -c "$work/in.dlt" "$work/viewer.txt" > "$work/viewer.log" 2>&1)
if [ ! -s "$work/viewer.txt" ]; then
  echo "FAIL: dlt-viewer wrote nothing"; cat "$work/viewer.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# drop dlt-viewer's index column, and the session column of both
cut -d' ' -f2- "$work/viewer.txt" | cut -d' ' -f1-7,9- | tr -s ' ' | sed 's/ $//' > "$work/theirs"
"$DLTDUMP" "$work/in.dlt" | cut -d' ' -f1-7,9- | tr -s ' ' | sed 's/ $//' > "$work/ours"
if [ "$(wc -l < "$work/ours")" -ne 2000 ] || ! diff "$work/theirs" "$work/ours" > "$work/diff"; then
  echo "FAIL: dltdump and dlt-viewer differ"; head -10 "$work/diff"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "1 passed, 0 failed"
