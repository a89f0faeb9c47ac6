#!/usr/bin/env bash
# Live UDP recording (issue #7): the highest rate at which dltdump records a multicast DLT
# stream to a DLT file with zero loss, against COVESA `dlt-receive -u -o` fed by the same
# sender (tools/udpsend) with the same corpus, one after the other at each rate, in one run.
#
# Runs inside a private network namespace (loopback, 224.0.0.0/4 routed to it), so it needs
# root. For each recorder and each of $runs rounds, the rate climbs a ladder of datagram
# rates until the recording misses a message; the last rate without loss is that round's
# figure, and the median over the rounds is reported, in datagrams/s and DLT messages/s.
# Two shapes of traffic: one message per datagram (a logger sending each message on its
# own) and datagrams packed with messages up to 1400 bytes (a daemon's batching).
#
# Usage: bench/compare_live.sh [BUILD_DIR] [MESSAGES] [RUNS]
set -u
build=${1:-build}
messages=${2:-100000}
runs=${3:-3}
source "$(dirname "$0")/common.sh"
dltdump=$build/src/dltdump
udpsend=$build/tools/udpsend
out=${OUT_DIR:-$work}
ladder=(10000 20000 40000 80000 160000 320000 640000 0)  # datagrams/s; 0: as fast as udpsend goes
command -v dlt-receive > /dev/null || { echo "dlt-receive not installed (Debian package dlt-tools)"; exit 1; }
ns=dltdump-bench-$$
ip netns add "$ns" || { echo "needs root: ip netns add"; exit 1; }
trap 'ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" route add 224.0.0.0/4 dev lo
group=239.255.42.99
corpus=$work/live-${messages}.bin
[ -f "$corpus" ] || "$build/tools/dltgen" --format net --count "$messages" --seed 9 -o "$corpus" > /dev/null

# record TOOL RATE PACK: prints "<recorded messages> <datagrams sent> <seconds>".
record() {
  local tool=$1 rate=$2 pack=$3 file=$out/live-rec.dlt pid
  rm -f "$file"
  if [ "$tool" = dltdump ]; then
    ip netns exec "$ns" "$dltdump" "udp://$group:3490" -o "$file" 2> /dev/null &
  else
    ip netns exec "$ns" dlt-receive -u -o "$file" -p 3490 "$group" > /dev/null 2>&1 &
  fi
  pid=$!
  sleep 0.5
  local args=()
  [ "$rate" -gt 0 ] && args+=(--rate "$rate")
  [ "$pack" -gt 0 ] && args+=(--pack "$pack")
  local sent
  sent=$(ip netns exec "$ns" "$udpsend" "${args[@]}" "$corpus" "$group:3490")
  sleep 1
  kill -INT "$pid"
  wait "$pid" 2> /dev/null
  local got
  got=$("$dltdump" "$file" 2> /dev/null | grep -vc ' SKIP ')
  echo "$got $(echo "$sent" | sed 's/.*datagrams=\([0-9]*\).*seconds=\([0-9.]*\).*/\1 \2/')"
}

# ladder_max TOOL PACK: the highest achieved datagram rate with every message recorded
# (0 if even the lowest rung loses) and the achieved rate of the first rung that lost
# messages (0 if none did), as "<datagrams/s> <messages/s> <first losing datagrams/s>".
ladder_max() {
  local tool=$1 pack=$2 best=0 best_messages=0 losing=0
  for rate in "${ladder[@]}"; do
    read -r got datagrams seconds <<< "$(record "$tool" "$rate" "$pack")"
    local achieved
    achieved=$(echo "$datagrams / $seconds" | bc)
    if [ "$got" -lt "$messages" ]; then
      echo "  $tool at $rate/s (achieved $achieved/s): $got of $messages recorded" >&2
      losing=$achieved
      break
    fi
    echo "  $tool at $rate/s (achieved $achieved/s): all $messages" >&2
    if [ "$achieved" -gt "$best" ]; then
      best=$achieved
      best_messages=$(echo "$messages / $seconds" | bc)
    fi
  done
  echo "$best $best_messages $losing"
}

median_of() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

machine_line
echo "corpus: $messages messages ($(stat -c %s "$corpus") bytes), output to $out, $runs rounds"
for pack in 0 1400; do
  [ "$pack" -eq 0 ] && shape="one message per datagram" || shape="datagrams packed to $pack bytes"
  declare -A dg=() ms=() lost=()
  for round in $(seq "$runs"); do
    for tool in dltdump dlt-receive; do
      read -r d m l <<< "$(ladder_max "$tool" "$pack")"
      dg[$tool]+="$d "
      ms[$tool]+="$m "
      lost[$tool]+="$l "
    done
  done
  echo "== $shape: highest rate with zero loss, and the rate that first lost messages (0: none did)"
  echo "   (medians of $runs rounds)"
  for tool in dltdump dlt-receive; do
    # shellcheck disable=SC2086
    echo "  $tool: $(median_of ${dg[$tool]}) datagrams/s = $(median_of ${ms[$tool]}) messages/s without loss;" \
      "first loss at $(median_of ${lost[$tool]}) datagrams/s (rounds: ${dg[$tool]}/ ${lost[$tool]})"
  done
  # shellcheck disable=SC2086
  ours=$(median_of ${dg[dltdump]}) theirs=$(median_of ${lost[dlt-receive]}) ours_lost=$(median_of ${lost[dltdump]})
  if [ "$theirs" -eq 0 ]; then
    echo "  dlt-receive lost nothing either: no ratio"
  elif [ "$ours_lost" -eq 0 ]; then
    echo "  dltdump lost nothing at any rate the sender reached: its zero-loss rate is at least" \
      "$(echo "scale=2; $ours / $theirs" | bc)x dlt-receive's first losing rate (the sender is the limit)"
  else
    echo "  dltdump's zero-loss rate / dlt-receive's first losing rate: $(echo "scale=2; $ours / $theirs" | bc)x"
  fi
  unset dg ms lost
done
