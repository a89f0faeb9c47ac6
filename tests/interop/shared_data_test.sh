#!/usr/bin/env bash
# Files other tools made (../shared/data) decode with the message counts listed in the
# data folder's README: COVESA's DLT files without a single skip line; the captures of an
# independent generator (PCAP-NG in two sections of both byte orders, big-endian ns PCAP
# with Linux SLL, and editcap's rewrite of it) with their DLT split across datagrams and
# IP fragments, where the PCAP's one flow ends with 45 bytes of a message that never
# completes: at the end of input that flow is flushed as one skip line (deviation Q12).
set -u
DLTDUMP=$1
DATA=$2
if [ ! -d "$DATA" ]; then
  echo "SKIPPED: $DATA is absent (the interop data lives beside the project in ../shared/data)"
  exit 77
fi
fails=0
pass=0
for entry in covesa-daemon-recording.dlt:3344 covesa-testfile.dlt:105 covesa-testfile_extended.dlt:111; do
  f=${entry%%:*}
  want=${entry##*:}
  out=$("$DLTDUMP" "$DATA/$f")
  rc=$?
  n=$(printf '%s\n' "$out" | grep -c .)
  skips=$(printf '%s\n' "$out" | grep -c ' SKIP SKIP 0 log warn verbose 4 Skipped: ')
  if [ "$rc" -ne 0 ] || [ "$n" -ne "$want" ] || [ "$skips" -ne 0 ]; then
    echo "FAIL: $f: exit $rc, $n lines (want $want), $skips skip lines"
    fails=$((fails + 1))
  else
    pass=$((pass + 1))
  fi
done
# The two captures hold 1000 messages for us, 998 for DltDump (and the data's README): the
# datagram of one message ends in a fragment of 8 bytes, which DltDump ignores (deviation
# Q32; tshark decodes that message); another message's last 3 bytes are a datagram of their
# own, which DltDump ignores too (under 36 bytes: deviation Q33): that message then ends in
# the next one's first bytes, and the next one is lost (45 bytes skipped at the end).
for entry in capture-2sections.pcapng:1000:0 capture-be-nsec-sll.pcap:1000:0 capture-written-by-editcap.pcapng:1000:0; do
  IFS=: read -r f want skipped <<< "$entry"
  out=$("$DLTDUMP" "$DATA/$f")
  rc=$?
  n=$(printf '%s\n' "$out" | grep -v ' SKIP SKIP ' | grep -c .)
  got_skipped=$(printf '%s\n' "$out" | sed -n 's/.* SKIP SKIP 0 log warn verbose 4 Skipped: \([0-9]*\) bytes;.*/\1/p' |
    awk '{ s += $1 } END { print s + 0 }')
  if [ "$rc" -ne 0 ] || [ "$n" -ne "$want" ] || [ "$got_skipped" -ne "$skipped" ]; then
    echo "FAIL: $f: exit $rc, $n messages (want $want), $got_skipped bytes skipped (want $skipped)"
    fails=$((fails + 1))
  else
    pass=$((pass + 1))
  fi
done
# per-application counts of the daemon recording (README of the data folder)
counts=$("$DLTDUMP" "$DATA/covesa-daemon-recording.dlt" | cut -d' ' -f6 | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
if [ "$counts" != "DA1=11 DIFT=3000 DLTD=8 EXA1=300 EXA2=25 " ]; then
  echo "FAIL: per-application counts: $counts"
  fails=$((fails + 1))
else
  pass=$((pass + 1))
fi
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
