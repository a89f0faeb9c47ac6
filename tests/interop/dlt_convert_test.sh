#!/usr/bin/env bash
# Interop with COVESA dlt-convert (Debian package dlt-tools): on generated files both
# tools must find the same messages with the same ECU/APP/CTX, in order.
set -u
DLTDUMP=$1
DLTGEN=$2
if ! command -v dlt-convert > /dev/null; then
  echo "SKIPPED: dlt-convert is not installed (Debian package dlt-tools)"
  exit 77
fi
export TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
for seed in 11 12; do
  "$DLTGEN" --count 3000 --seed "$seed" -o "$work/in.dlt"
  # dlt-convert -s: "<index> <date> <time> <timestamp> <count> <ecu> <app> <ctx> ..."; ids
  # are padded with '-', and messages without extended header show '----'.
  dlt-convert -s "$work/in.dlt" | awk '$1 ~ /^[0-9]+$/ {
      e = $6; a = $7; c = $8; gsub(/-+$/, "", e); gsub(/-+$/, "", a); gsub(/-+$/, "", c);
      print e "|" a "|" c }' > "$work/theirs"
  # dltdump shows the storage-header ECU when the message has none, as dlt-convert does.
  "$DLTDUMP" "$work/in.dlt" | cut -d' ' -f5-7 | tr ' ' '|' > "$work/ours"
  n_theirs=$(wc -l < "$work/theirs")
  n_ours=$(wc -l < "$work/ours")
  if [ "$n_theirs" -ne 3000 ] || [ "$n_ours" -ne 3000 ]; then
    echo "FAIL seed $seed: dlt-convert found $n_theirs messages, dltdump $n_ours (expected 3000)"
    fails=$((fails + 1))
  elif ! diff "$work/theirs" "$work/ours" > "$work/diff"; then
    echo "FAIL seed $seed: ECU/APP/CTX differ"; head -5 "$work/diff"
    fails=$((fails + 1))
  fi
done

# Filters: dlt-convert -f FILE keeps the messages whose APP and CTX are listed, and — its rule
# — every message without an extended header. dltdump --appid/--ctxid keeps only messages
# with an extended header, so: theirs = ours + the messages without an extended header.
"$DLTGEN" --count 3000 --seed 13 -o "$work/f.dlt"
printf 'NAV GPS\n' > "$work/filter.txt"
dlt-convert -f "$work/filter.txt" -s "$work/f.dlt" | awk '$1 ~ /^[0-9]+$/ {
    a = $7; c = $8; gsub(/-+$/, "", a); gsub(/-+$/, "", c); if (a != "") print a "|" c }' > "$work/f.theirs"
n_theirs_all=$(dlt-convert -f "$work/filter.txt" -s "$work/f.dlt" | awk '$1 ~ /^[0-9]+$/' | wc -l)
"$DLTDUMP" --appid=NAV --ctxid=GPS "$work/f.dlt" | cut -d' ' -f6-7 | tr ' ' '|' > "$work/f.ours"
no_ext=$("$DLTDUMP" "$work/f.dlt" | cut -d' ' -f6 | grep -c '^$')
n_ours=$(wc -l < "$work/f.ours")
if [ "$n_ours" -eq 0 ] || [ "$n_theirs_all" -ne $((n_ours + no_ext)) ]; then
  echo "FAIL filter: dlt-convert -f kept $n_theirs_all, dltdump $n_ours + $no_ext without extended header"
  fails=$((fails + 1))
elif ! diff "$work/f.theirs" "$work/f.ours" > "$work/diff"; then
  echo "FAIL filter: the NAV/GPS messages differ"; head -5 "$work/diff"
  fails=$((fails + 1))
else
  echo "filter: dlt-convert -f 'NAV GPS' kept $n_theirs_all = dltdump's $n_ours + $no_ext without extended header"
fi
echo "$((3 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
