#!/usr/bin/env bash
# A real TCP capture (issue #25): a private COVESA dlt-daemon on a loopback port serves
# dltdump (recording over TCP, `-o rec.dlt`) and dlt-receive (`-o recv.dlt`) while dumpcap
# records the loopback interface; dlt-example-user logs known messages, some longer than
# a loopback segment's worth of one message so that messages span segments. Checks:
#   1. dltdump recorded every logged message;
#   2. the capture of each connection (split by tshark), decoded with --tcp-port=<port>,
#      holds exactly the messages of that client's own recording (each line from the ECU
#      column on; the daemon's own messages too), with nothing reported lost, on 1 and 4
#      threads.
# Skips (exit 77) when not root (a capture on lo) or when dlt-daemon, dlt-receive,
# dlt-example-user, dumpcap or tshark is missing.
set -u
DLTDUMP=$1
EXAMPLE_USER=${DLT_EXAMPLE_USER:-/usr/lib/libdlt-examples/dlt-example-user}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: capturing on lo needs root"; exit 77; }
for tool in dlt-daemon dlt-receive dumpcap tshark "$EXAMPLE_USER"; do
  command -v "$tool" > /dev/null ||
    { echo "SKIP: $tool not installed (Debian packages dlt-daemon, dlt-tools, libdlt-examples, tshark)"; exit 77; }
done
. "$(dirname "$0")/private_daemon.sh"
start_private_daemon TCP1

dumpcap -q -i lo -f "tcp port $port" -w "$work/lo.pcapng" > "$work/dumpcap.log" 2>&1 &
cap=$!
pids+=("$cap")
for _ in $(seq 50); do [ -s "$work/lo.pcapng" ] && break; sleep 0.1; done
sleep 0.5

"$DLTDUMP" --retries=-1 "tcp://127.0.0.1:$port" -o "$work/rec.dlt" > "$work/dltdump.out" 2>&1 &
dump=$!
pids+=("$dump")
sleep 0.5
dlt-receive -o "$work/recv.dlt" -p "$port" 127.0.0.1 > /dev/null 2>&1 &
recv=$!
pids+=("$recv")
sleep 1

long=$(printf 'long message %.0s0123456789' $(seq 300))  # about 4 KB: several segments at times
DLT_PIPE_DIR=$work "$EXAMPLE_USER" -d 2 -n 200 -A TCPA -C TEST "tcp capture message" > /dev/null 2>&1
DLT_PIPE_DIR=$work "$EXAMPLE_USER" -d 5 -n 30 -A TCPB -C LONG "$long" > /dev/null 2>&1
sleep 2  # everything received and written
# dlt-receive first: the daemon then tells its remaining client, dltdump, of the
# disconnection (a control message), which dltdump must have recorded before it stops.
kill -TERM "$recv"
wait "$recv" 2> /dev/null
sleep 2
kill -INT "$dump"
wait "$dump"
# dumpcap drops what the kernel still buffers for it when it stops: give it time to read
# the last segments on a loaded machine.
sleep 3
kill -INT "$cap"
wait "$cap"

# One capture per connection, in the order the clients connected (dltdump's first).
tshark -r "$work/lo.pcapng" -Y "tcp.stream==0" -w "$work/dltdump_conn.pcapng" 2> /dev/null
tshark -r "$work/lo.pcapng" -Y "tcp.stream==1" -w "$work/receive_conn.pcapng" 2> /dev/null
segments=$(tshark -r "$work/lo.pcapng" 2> /dev/null | wc -l)

lines() { "$DLTDUMP" "$@" | cut -d' ' -f5-; }
n_rec=$(lines "$work/rec.dlt" | grep -c 'tcp capture message\|long message')
[ "$n_rec" -eq 230 ] && ok "dltdump recorded all 230 logged messages" ||
  fail "dltdump recorded $n_rec of the 230 logged messages"
for threads in 1 4; do
  for pair in "dltdump_conn rec" "receive_conn recv"; do
    set -- $pair
    if diff <(lines "$work/$2.dlt") <(lines --threads=$threads --tcp-port="$port" "$work/$1.pcapng") \
      > "$work/diff" 2> "$work/err" && ! [ -s "$work/err" ]; then
      ok "threads $threads: the capture of $1 ($segments packets on lo) decodes to exactly $2.dlt's $(lines "$work/$2.dlt" | wc -l) messages"
    else
      fail "threads $threads: the capture of $1 differs from $2.dlt: $(head -5 "$work/diff" | cut -c1-150) $(cat "$work/err")"
    fi
  done
done
[ "$fails" -eq 0 ] || exit 1
