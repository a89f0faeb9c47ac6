#!/usr/bin/env bash
# The error model (util/error.hpp) on the capture path: an output that fails while a
# capture is decoded ends the run with exactly one line on standard error — the output's
# own, as the writer raised it — and exit 5, by each decoding strategy (serial, serial with
# a context filter, pipelined, chunked); a closed pipe ends it quietly with exit 0; the
# inputs after the failure are not read. The full-file-system part mounts a small tmpfs
# (needs root); without it the script ends with 77 (skipped) if everything else passed.
source "$(dirname "$0")/fault_prologue.sh" "$@"

# expect NAME RC WANTED_RC ERRFILE LINE: the exit code and standard error are exactly these.
expect() {
  [ "$2" -eq "$3" ] || fail "$1: exit $2, expected $3"
  [ "$(cat "$4")" == "$5" ] || fail "$1: standard error is '$(head -c 300 "$4")', expected '$5'"
  [ "$(wc -l < "$4")" -le 1 ] || fail "$1: more than one line on standard error"
}

"$DLTGEN" --format net --size 3000000 --seed 5 -o "$work/net.dlt" > /dev/null
"$CAPGEN" --dlt "$work/net.dlt" --flows 4 -o "$work/small.pcapng" > /dev/null  # < 2 blocks: pipelined
"$DLTGEN" --format net --size 8000000 --seed 6 -o "$work/net2.dlt" > /dev/null
"$CAPGEN" --dlt "$work/net2.dlt" --flows 4 -o "$work/big.pcapng" > /dev/null   # chunked on 2 threads
"$DLTGEN" --size 100000 --seed 7 -o "$work/after.dlt" > /dev/null

# strategies: "<name>|<options>|<input>"
strategies=(
  "serial|--threads=1|$work/big.pcapng"
  "serial with context|--threads=2 --string=a -A 1|$work/big.pcapng"
  "pipelined|--threads=2|$work/small.pcapng"
  "chunked|--threads=2|$work/big.pcapng"
)

for s in "${strategies[@]}"; do
  IFS='|' read -r name opts input <<< "$s"
  # shellcheck disable=SC2086
  "$DLTDUMP" $opts "$input" "$work/after.dlt" > /dev/full 2> "$work/err"
  expect "$name, /dev/full" $? 5 "$work/err" "Couldn't write to standard output (No space left on device)"

  # shellcheck disable=SC2086
  "$DLTDUMP" $opts "$input" > "$work/ref.txt" || fail "$name: full run"
  rm -f "$work/lim.txt"
  # shellcheck disable=SC2086
  (ulimit -f 1024; "$DLTDUMP" $opts -o "$work/lim.txt" "$input" "$work/after.dlt" 2> "$work/err")
  expect "$name, file size limit" $? 5 "$work/err" "Couldn't write to $work/lim.txt (File too large)"
  size=$(stat -c %s "$work/lim.txt")
  [ "$size" -gt 0 ] && cmp -s -n "$size" "$work/lim.txt" "$work/ref.txt" ||
    fail "$name, file size limit: $size bytes, not a prefix of the full output"

  # shellcheck disable=SC2086
  (set -o pipefail; "$DLTDUMP" $opts "$input" 2> "$work/err" | head -1 > /dev/null)
  expect "$name, | head -1" $? 0 "$work/err" ""
done

# A PCAP-NG output reopened to append to (a split series under one name, %CDATE%; %LC% files
# past the open-file limit) that meets the file size limit keeps its whole blocks: the
# part of a block written is cut off the file's end, not at the bytes this opening wrote (a
# new user's finding: the file was cut back to 10 KB, its older blocks lost, its last one
# broken).
"$DLTGEN" --count 6000 --seed 3 -o "$work/cdate.dlt" > /dev/null
(cd "$work" && "$DLTDUMP" -o 'full_%CDATE%.pcapng' --split=64k cdate.dlt && "$DLTDUMP" full_*.pcapng > cdate_full.txt) ||
  fail "a split PCAP-NG series under one name: full run"
(cd "$work" && ulimit -f 100 && exec "$DLTDUMP" -o 'lim_%CDATE%.pcapng' --split=64k cdate.dlt 2> err)
expect "a PCAP-NG file reopened to append, file size limit" $? 5 "$work/err" \
  "Couldn't write to $(cd "$work" && ls lim_*.pcapng) (File too large)"
size=$(stat -c %s "$work"/lim_*.pcapng)
[ "$size" -gt 90000 ] && [ "$size" -le 102400 ] || fail "a PCAP-NG file reopened to append: $size bytes kept, not about 100 KiB"
"$DLTDUMP" "$work"/lim_*.pcapng > "$work/cdate_lim.txt" 2> "$work/err"
expect "a PCAP-NG file reopened to append, read back" $? 0 "$work/err" ""
cmp -s -n "$(stat -c %s "$work/cdate_lim.txt")" "$work/cdate_lim.txt" "$work/cdate_full.txt" ||
  fail "a PCAP-NG file reopened to append: its messages are not the first of the full run's"

mkdir "$work/mnt"
if mount -t tmpfs -o size=1m tmpfs "$work/mnt" 2>/dev/null; then
  mnt="$work/mnt"
  for s in "${strategies[@]}"; do
    IFS='|' read -r name opts input <<< "$s"
    for kind in txt dlt pcapng; do
      rm -f "$mnt"/*
      # shellcheck disable=SC2086
      "$DLTDUMP" $opts -o "$mnt/out.$kind" "$input" "$work/after.dlt" 2> "$work/err"
      expect "$name, full disk, $kind" $? 5 "$work/err" "Couldn't write to $mnt/out.$kind (No space left on device)"
    done
  done
  umount "$mnt" && mnt=""
else
  skipped="the full file system (mount -t tmpfs failed: not root?)"
fi

if [ "$fails" -gt 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
if [ -n "$skipped" ]; then
  echo "skipped: $skipped"
  exit 77
fi
echo "capture write faults: all passed"
