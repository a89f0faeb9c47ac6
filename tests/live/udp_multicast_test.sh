#!/usr/bin/env bash
# Live UDP multicast (issue #7), inside a private network namespace so that no packet
# leaves the machine: loopback up and a 224.0.0.0/4 route to it. A generated corpus is
# sent by two senders at a stated rate to 239.255.42.99; dltdump must receive every
# message (none dropped by the kernel or by itself), print what the corpus decodes to, and
# its --capture file must replay to identical lines. A second run joins the group on the
# interface given by ?bindto=. Last, non-verbose messages decoded live through a FIBEX
# catalogue and filtered by the type it gives (issue #21). Needs root (ip netns); skips
# (exit 77) without it.
set -u
DLTDUMP=$1
DLTGEN=$2
UDPSEND=$3
NVGEN=$4
RATE=${RATE:-50000}       # datagrams per second the test asks dltdump to keep up with
COUNT=${COUNT:-100000}    # messages
export TZ=UTC
ns=dltdump-mc-$$
ip netns add "$ns" 2> /dev/null || { echo "SKIP: cannot create a network namespace (needs root and iproute2)"; exit 77; }
work=$(mktemp -d)
trap 'ip netns del "$ns"; rm -rf "$work"' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" route add 224.0.0.0/4 dev lo
in_ns() { ip netns exec "$ns" "$@"; }
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$DLTGEN" --format net --count "$COUNT" --seed 71 -o "$work/net.bin" > /dev/null
"$DLTDUMP" --format=net "$work/net.bin" | cut -d' ' -f3- | sort > "$work/expected.txt"

# Runs dltdump on URI $1 (with the options in dump_extra) inside the namespace while udpsend
# sends $send_file to $2 with the options that follow; leaves live.txt, live.err and raw.pcapng.
dump_extra=()
send_file=$work/net.bin
record() {
  local uri=$1 target=$2
  shift 2
  rm -f "$work/raw.pcapng"
  # Not through a function: SIGINT must reach dltdump itself (ip netns exec execs it).
  ip netns exec "$ns" "$DLTDUMP" "${dump_extra[@]}" "$uri" --capture "$work/raw.pcapng" -o "$work/live.txt" -f \
    2> "$work/live.err" &
  local dump=$!
  sleep 0.5
  in_ns "$UDPSEND" "$@" "$send_file" "$target" > "$work/send.txt"
  sleep 0.5
  kill -INT "$dump"
  wait "$dump"
}

record udp://239.255.42.99:3490 239.255.42.99:3490 --senders 2 --pack 1400 --rate "$RATE"
code=$?
[ "$code" -eq 0 ] && ok "multicast: SIGINT, exit code 0" || fail "multicast: exit code $code"
cut -d' ' -f3- "$work/live.txt" | sort > "$work/got.txt"
if cmp -s "$work/got.txt" "$work/expected.txt"; then
  ok "multicast: all $COUNT messages at $RATE datagrams/s ($(cat "$work/send.txt"))"
else
  fail "multicast: $(wc -l < "$work/got.txt") of $COUNT messages; $(cat "$work/live.err")"
fi
grep -q ' 0 dropped by the kernel, 0 dropped by dltdump' "$work/live.err" && ok "multicast: nothing dropped" ||
  fail "multicast: $(cat "$work/live.err")"
"$DLTDUMP" --udp-port=3490 "$work/raw.pcapng" > "$work/replay.txt"
cmp -s "$work/replay.txt" "$work/live.txt" && ok "the --capture file replays to identical lines" ||
  fail "the replayed capture differs from the live lines"
if command -v capinfos > /dev/null; then
  capinfos "$work/raw.pcapng" > /dev/null 2>&1 && ok "capinfos accepts the capture" || fail "capinfos rejects the capture"
fi

# Joining on the interface named by bindto, messages cut across datagrams, one sender.
record "udp://239.255.42.99:3490?bindto=127.0.0.1" 239.255.42.99:3490 --split --rate "$RATE" --multicast-if 127.0.0.1
cut -d' ' -f3- "$work/live.txt" | sort > "$work/got.txt"
cmp -s "$work/got.txt" "$work/expected.txt" && ok "bindto, split messages: all $COUNT messages" ||
  fail "bindto: $(wc -l < "$work/got.txt") of $COUNT messages; $(cat "$work/live.err")"

# Unicast on the same port: a datagram to the group is not received by a unicast socket.
record udp://127.0.0.1:3490 127.0.0.1:3490 --senders 3 --rate "$RATE"
cut -d' ' -f3- "$work/live.txt" | sort > "$work/got.txt"
cmp -s "$work/got.txt" "$work/expected.txt" && ok "unicast, three senders: all $COUNT messages" ||
  fail "unicast: $(wc -l < "$work/got.txt") of $COUNT messages; $(cat "$work/live.err")"

# FIBEX, live and filtered: the lines the catalogue gives, as for the recording itself.
"$NVGEN" --mode default --format net --count 20000 --seed 9 --catalogue "$work/cat" -o "$work/nv.bin" > /dev/null
"$DLTDUMP" -F "$work/cat" --type=error --format=net "$work/nv.bin" | cut -d' ' -f3- | sort > "$work/nv-expected.txt"
dump_extra=(-F "$work/cat" --type=error)
send_file=$work/nv.bin
record udp://239.255.42.99:3490 239.255.42.99:3490 --pack 1400 --rate "$RATE"
cut -d' ' -f3- "$work/live.txt" | sort > "$work/got.txt"
if [ -s "$work/nv-expected.txt" ] && cmp -s "$work/got.txt" "$work/nv-expected.txt"; then
  ok "FIBEX live, --type=error: the $(wc -l < "$work/got.txt") lines the recording gives"
else
  fail "FIBEX live: $(wc -l < "$work/got.txt") lines, expected $(wc -l < "$work/nv-expected.txt"); $(cat "$work/live.err")"
fi

[ "$fails" -eq 0 ] || exit 1
