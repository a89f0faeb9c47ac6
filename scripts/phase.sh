#!/usr/bin/env bash
# phase.sh LOG NAME COMMAND...: runs COMMAND and appends "NAME: N s" to LOG (wall seconds;
# ", failed (exit C)" when it failed). The first phase of a LOG records when the run began.
# When COMMAND fails, or NAME is "total" (COMMAND may be true), LOG is printed with the time
# since the run began, so that the tail of a CI log (often all that is kept) says where the
# time went. Exits with COMMAND's exit code.
set -u
log=$1 name=$2
shift 2
now() { date +%s; }
[ -s "$log" ] || echo "began $(now)" > "$log"
start=$(now)
"$@"
rc=$?
took=$(($(now) - start))
if [ "$rc" -eq 0 ]; then
  echo "$name: $took s" >> "$log"
else
  echo "$name: $took s, failed (exit $rc)" >> "$log"
fi
if [ "$rc" -ne 0 ] || [ "$name" = total ]; then
  began=$(awk 'NR == 1 { print $2 }' "$log")
  echo "== where the time went (scripts/phase.sh): $(($(now) - began)) s in all"
  tail -n +2 "$log" | grep -v '^total:'
fi
exit "$rc"
