#!/usr/bin/env bash
# Live TCP against a real peer (issue #7): a private COVESA dlt-daemon on a loopback port
# (its own configuration, pipe directory and control socket), dlt-example-user logging
# known messages, recorded at the same time by dltdump (`-o rec.dlt`) and by dlt-receive.
# Checks:
#   1. the output file is flushed while the recording runs (within 5 s + margin);
#   2. every logged message is there, in order, with its APP/CTX and text, and the
#      daemon's messages match what dlt-receive recorded from the same daemon;
#   3. SIGINT while messages are being logged stops dltdump with exit code 0, and
#      `dlt-convert -a` reads rec.dlt completely (as many messages as dltdump finds; a SKIP
#      message only last, for a message the stop cut), the interrupted logger's messages
#      being an unbroken prefix;
#   4. the storage headers carry the PC clock of the recording.
# dltdump runs with --retries=-1: a daemon with nothing to send is silent, and a TCP stream
# silent for 5 s ends (spec §1.5); with retries the recording reconnects and continues.
# Skips (exit 77) when dlt-daemon, dlt-example-user, dlt-receive or dlt-convert is missing.
set -u
DLTDUMP=$1
EXAMPLE_USER=${DLT_EXAMPLE_USER:-/usr/lib/libdlt-examples/dlt-example-user}
for tool in dlt-daemon dlt-receive dlt-convert "$EXAMPLE_USER"; do
  command -v "$tool" > /dev/null || { echo "SKIP: $tool not installed (Debian packages dlt-daemon, dlt-tools, libdlt-examples)"; exit 77; }
done
. "$(dirname "$0")/private_daemon.sh"
start_private_daemon TST1

"$DLTDUMP" --retries=-1 "tcp://127.0.0.1:$port" -o "$work/rec.dlt" > "$work/dltdump.out" 2>&1 &
dump=$!
pids+=("$dump")
dlt-receive -o "$work/recv.dlt" -p "$port" 127.0.0.1 > /dev/null 2>&1 &
pids+=("$!")
sleep 1

count=40
DLT_PIPE_DIR=$work "$EXAMPLE_USER" -d 5 -n "$count" -A LIVE -C TEST "interop message" > /dev/null 2>&1
sleep 6  # longer than the 5 s flush interval

size=$(stat -c %s "$work/rec.dlt" 2> /dev/null || echo 0)
[ "$size" -gt 0 ] && ok "the output file is flushed while recording ($size bytes)" ||
  fail "nothing written to rec.dlt 6 s after the messages"

# The logged messages: "<i> interop message" for i = 0 … count-1, APP LIVE, CTX TEST.
expected=$(for ((i = 0; i < count; i++)); do echo "LIVE TEST $i interop message"; done)
got=$("$DLTDUMP" --appid=LIVE "$work/rec.dlt" | awk '{ print $6, $7, $(NF-2), $(NF-1), $NF }')
[ "$got" = "$expected" ] && ok "all $count logged messages, in order, with APP/CTX and text" ||
  { fail "logged messages differ"; diff <(echo "$expected") <(echo "$got") | head -5; }

# SIGINT while a logger is busy.
DLT_PIPE_DIR=$work "$EXAMPLE_USER" -d 10 -n 1000 -A BUSY -C TEST "busy message" > /dev/null 2>&1 &
pids+=("$!")
sleep 3
kill -INT "$dump"
wait "$dump"
code=$?
[ "$code" -eq 0 ] && ok "SIGINT while logging: exit code 0" || { fail "SIGINT: exit code $code"; cat "$work/dltdump.out"; }

# The stop may cut the message arriving at that moment: its bytes are kept as one SKIP
# message, which can only be the last one. Anywhere else a skip would be lost data.
ours=$("$DLTDUMP" "$work/rec.dlt" | wc -l)
skips=$("$DLTDUMP" "$work/rec.dlt" | head -n -1 | grep -c ' SKIP ')
theirs=$(dlt-convert -a "$work/rec.dlt" | grep -cE '^[0-9]+ ')
[ "$ours" -gt 0 ] && [ "$ours" -eq "$theirs" ] && [ "$skips" -eq 0 ] &&
  ok "dlt-convert -a reads the whole recording: $theirs messages ($("$DLTDUMP" "$work/rec.dlt" | tail -1 | grep -c ' SKIP ') cut by the stop)" ||
  { fail "dlt-convert -a read $theirs messages, dltdump $ours (skip lines before the last: $skips)"
    "$DLTDUMP" "$work/rec.dlt" | grep ' SKIP '; }
busy=$("$DLTDUMP" --appid=BUSY "$work/rec.dlt" | awk '{ print $(NF-2) }')
n=$(echo "$busy" | grep -c .)
[ "$n" -gt 0 ] && [ "$busy" = "$(seq 0 $((n - 1)))" ] &&
  ok "the interrupted logger's messages 0 … $((n - 1)) are all there" || fail "the interrupted logger's messages have gaps"

# dlt-receive recorded the same daemon: the same logged messages (from the ECU id on, without
# the storage header times).
kill -TERM "${pids[2]}" 2> /dev/null
sleep 0.5
"$DLTDUMP" "$work/rec.dlt" | cut -d' ' -f4- | grep -v 'New client connection' > "$work/ours.txt"
"$DLTDUMP" "$work/recv.dlt" | cut -d' ' -f4- | grep -v 'New client connection' > "$work/theirs.txt"
if [ "$(grep -c 'interop message' "$work/theirs.txt")" -eq "$count" ] &&
  diff <(grep LIVE "$work/ours.txt") <(grep LIVE "$work/theirs.txt") > /dev/null; then
  ok "the same messages as dlt-receive recorded from the daemon"
else
  fail "dltdump and dlt-receive recorded different messages"
  diff "$work/ours.txt" "$work/theirs.txt" | head -10
fi

year=$("$DLTDUMP" "$work/rec.dlt" | head -1 | cut -c1-4)
[ "$year" = "$(date -u +%Y)" ] && ok "storage headers carry the PC clock ($year)" || fail "storage header year $year"

[ "$fails" -eq 0 ] || exit 1
