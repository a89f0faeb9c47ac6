#!/usr/bin/env bash
# Compressed outputs (issue #26): `-o x.dlt.zst`, `x.txt.gz`, `x.jsonl.xz`, `x.csv.zst`, …
#  * each suffix and each kind decompresses to exactly the bytes of the same run's
#    uncompressed output, on one thread and on two (parallel blocks, FdWriter::write_direct);
#  * the compressed bytes are the same on one thread and on two (frames cut at fixed places
#    of the uncompressed stream, not at the parallel blocks' ends);
#  * --split counts the bytes before compression, and every file of the series is valid;
#  * a file size limit and a full file system leave a valid compressed file of whole
#    records and one line on standard error (exit 5);
#  * an existing file is refused as an uncompressed one is; compressed PCAP-NG and
#    suffixes dltdump does not write are refused in one line.
# The full-file-system part mounts a small tmpfs (needs root); without it the script ends
# with 77 (skipped) if everything else passed.
source "$(dirname "$0")/fault_prologue.sh" "$@"

# unpack FILE: its decompressed bytes on standard output, by its suffix.
unpack() {
  case $1 in
    *.zst) zstd -dcq "$1" ;;
    *.gz) gzip -dc "$1" ;;
    *.xz) xz -dc "$1" ;;
  esac
}
# valid NAME FILE: the compressed file passes its tool's test.
valid() {
  local tool
  case $2 in *.zst) tool="zstd -tq" ;; *.gz) tool="gzip -t" ;; *.xz) tool="xz -t" ;; esac
  $tool "$2" 2> "$work/terr" || fail "$1: $2 is not valid: $(head -c 200 "$work/terr")"
}
one_line() {
  local n
  n=$(wc -l < "$2")
  [ "$n" -eq 1 ] && [ "$(wc -c < "$2")" -gt 1 ] || fail "$1: $n lines on standard error: $(head -c 300 "$2")"
}

"$DLTGEN" --format file --size 9000000 --seed 21 -o "$work/in.dlt"

# --- every suffix × kind, 1 and 2 threads ----------------------------------------------------
for kind in dlt txt jsonl csv; do
  for threads in 1 2; do
    rm -f "$work/plain.$kind"
    "$DLTDUMP" --threads=$threads -o "$work/plain.$kind" "$work/in.dlt" || fail "$kind plain ($threads threads)"
    for z in zst gz xz; do
      out=$work/c.$kind.$z
      rm -f "$out"
      "$DLTDUMP" --threads=$threads -o "$out" "$work/in.dlt" 2> "$work/err" || fail "$kind.$z ($threads threads): exit $?"
      [ -s "$work/err" ] && fail "$kind.$z ($threads threads) said $(head -c 200 "$work/err")"
      valid "$kind.$z ($threads threads)" "$out"
      unpack "$out" | cmp -s - "$work/plain.$kind" || fail "$kind.$z ($threads threads): not the uncompressed output"
      [ "$(stat -c %s "$out")" -lt "$(stat -c %s "$work/plain.$kind")" ] || fail "$kind.$z: not smaller"
    done
  done
done
# Upper-case suffixes, and a name with no kind's extension (text).
rm -f "$work/plain.txt"
"$DLTDUMP" -o "$work/plain.txt" "$work/in.dlt"
"$DLTDUMP" -o "$work/UP.DLT.ZST" "$work/in.dlt" && unpack "$work/UP.DLT.ZST" 2>/dev/null | cmp -s - "$work/in.dlt" ||
  zstd -dcq "$work/UP.DLT.ZST" | cmp -s - "$work/in.dlt" || fail "UP.DLT.ZST"
"$DLTDUMP" -o "$work/log.gz" "$work/in.dlt" && gzip -dc "$work/log.gz" | cmp -s - "$work/plain.txt" || fail "log.gz as text"

# --- --split counts uncompressed bytes; each file valid ------------------------------------
for z in zst gz; do
  for kind in dlt txt; do
    rm -rf "$work/split" && mkdir "$work/split"
    "$DLTDUMP" --split 2M -o "$work/split/p_%CTR%.$kind.$z" "$work/in.dlt" || fail "split $kind.$z: exit $?"
    n=0
    : > "$work/joined"
    for f in "$work/split"/p_*; do
      n=$((n + 1))
      valid "split $kind.$z" "$f"
      unpack "$f" > "$work/part"
      size=$(stat -c %s "$work/part")
      # a file ends with the record that reached 2 MiB (uncompressed); the last may be short
      if [ "$f" != "$(ls "$work/split"/p_* | tail -1)" ]; then
        [ "$size" -ge 2097152 ] && [ "$size" -lt $((2097152 + 70000)) ] ||
          fail "split $kind.$z: $(basename "$f") holds $size bytes uncompressed"
      fi
      cat "$work/part" >> "$work/joined"
    done
    [ $n -ge 3 ] || fail "split $kind.$z: $n files"
    [ "$kind" == dlt ] && { cmp -s "$work/joined" "$work/in.dlt" || fail "split dlt.$z: not the input"; }
    [ "$kind" == txt ] && { cmp -s "$work/joined" "$work/plain.txt" || fail "split txt.$z: not the text"; }
  done
done

# --- the same compressed bytes for any number of threads -------------------------------------
# The frames end at fixed places of the uncompressed stream (the first record end 1 MiB
# past a frame's start), not where the parallel decoding's blocks end: `cmp` of the
# compressed files of one and two threads, for DLT and capture inputs, unfiltered and
# filtered (blocks of few lines), with context (decoded on one thread, for the record), and
# a %FILE% name (one file per input, its frames cut where the input begins).
"$DLTGEN" --format net --size 8000000 --seed 23 -o "$work/net.dlt" > /dev/null
"$CAPGEN" --dlt "$work/net.dlt" --flows 4 --seed 24 -o "$work/cap.pcapng" > /dev/null  # chunked on 2 threads
"$DLTGEN" --format net --size 3000000 --seed 25 -o "$work/net2.dlt" > /dev/null
"$CAPGEN" --dlt "$work/net2.dlt" --flows 4 --seed 26 -o "$work/small.pcapng" > /dev/null  # pipelined
# A sanitizer build (DLTDUMP_SANITIZED) runs every third case, the release build all.
case_number=0
for input in in.dlt cap.pcapng small.pcapng; do
  for args in "" "--level=warn" "-s a -A 2 -B 1"; do
    kinds="txt jsonl csv dlt"
    [ -n "$args" ] && [ "$input" != in.dlt ] && kinds="txt dlt"  # the other kinds decode the same way
    for kind in $kinds; do
      for z in zst gz; do
        case_number=$((case_number + 1))
        [ -n "${DLTDUMP_SANITIZED:-}" ] && [ $((case_number % 3)) -ne 1 ] && continue
        name="$kind.$z from $input${args:+ with $args}"
        for threads in 1 2; do
          rm -f "$work/t$threads.$kind.$z"
          # shellcheck disable=SC2086  # $args: several options
          "$DLTDUMP" --threads=$threads $args -o "$work/t$threads.$kind.$z" "$work/$input" ||
            fail "$name ($threads threads): exit $?"
        done
        cmp -s "$work/t1.$kind.$z" "$work/t2.$kind.$z" || fail "$name: other bytes on 2 threads than on 1"
      done
    done
  done
done
for z in zst gz; do
  for threads in 1 2; do
    rm -rf "$work/ff$threads" && mkdir "$work/ff$threads"
    "$DLTDUMP" --threads=$threads -o "$work/ff$threads/%FILE%.txt.$z" "$work/in.dlt" "$work/cap.pcapng" ||
      fail "%FILE%.txt.$z ($threads threads): exit $?"
  done
  for f in "$work/ff1"/*; do
    cmp -s "$f" "$work/ff2/$(basename "$f")" || fail "%FILE%.txt.$z: $(basename "$f") differs on 2 threads"
  done
  [ "$(ls "$work/ff1")" == "$(ls "$work/ff2")" ] && [ "$(ls "$work/ff1" | wc -l)" -eq 2 ] ||
    fail "%FILE%.txt.$z: files $(ls "$work/ff1" | tr '\n' ' ')/ $(ls "$work/ff2" | tr '\n' ' ')"
done
# Several inputs into one file, compressed ones among them: every input's end ends a frame,
# and a compressed input's decompression adds no frame end of its own (it used to flush the
# output whenever the decoder waited for it: other bytes from run to run — a new user's
# finding). Three runs of one thread and one of two give the same bytes.
zstd -qc "$work/in.dlt" > "$work/in.dlt.zst"
xz -c -1 "$work/small.pcapng" > "$work/small.pcapng.xz"
tar -C "$work" -cf "$work/joined.tar" in.dlt.zst small.pcapng.xz  # an archive's members likewise
for kind in jsonl txt dlt; do
  for run in 1 2 3 4; do
    threads=$((run == 4 ? 2 : 1))
    rm -f "$work/r$run.$kind.zst"
    "$DLTDUMP" --threads=$threads -o "$work/r$run.$kind.zst" "$work/in.dlt.zst" "$work/cap.pcapng" \
      "$work/small.pcapng.xz" "$work/in.dlt" "$work/joined.tar" || fail "joined $kind.zst (run $run): exit $?"
    cmp -s "$work/r1.$kind.zst" "$work/r$run.$kind.zst" || fail "joined $kind.zst: run $run made other bytes"
  done
done

# --- a file size limit (ulimit -f counts KiB) -------------------------------------------------
"$DLTGEN" --format file --size 40000000 --seed 22 -o "$work/big.dlt"
"$DLTDUMP" --threads=1 "$work/big.dlt" > "$work/big.txt"
# check_cut NAME FILE FULL: FILE is valid and decompresses to a prefix of FULL of whole
# records (DLT: decodes without a SKIP line; text: ends on a line end), at least 1 MiB.
check_cut() {
  valid "$1" "$2"
  unpack "$2" > "$work/cut" 2> /dev/null
  local size
  size=$(stat -c %s "$work/cut")
  [ "$size" -ge 1048576 ] || fail "$1: only $size bytes kept"
  cmp -s -n "$size" "$work/cut" "$3" || fail "$1: not a prefix of the full output"
  case $2 in
    *.dlt.*)
      "$DLTDUMP" --threads=1 "$work/cut" > "$work/cut.txt" 2>&1
      grep -q SKIP "$work/cut.txt" && fail "$1: ends on a cut message" ;;
    *) [ "$(tail -c 1 "$work/cut" | od -An -c | tr -d ' ')" == '\n' ] || fail "$1: ends inside a line" ;;
  esac
}
# failed_write NAME RC FILE FULL: the run failed on a write (exit 5, one line in $work/err)
# and left FILE as check_cut wants it.
failed_write() {
  [ "$2" -eq 5 ] || fail "$1: exit $2, expected 5"
  one_line "$1" "$work/err"
  check_cut "$1" "$3" "$4"
}
for out in lim.dlt.zst lim.dlt.gz lim.txt.zst lim.txt.xz; do
  for threads in 1 2; do
    full=$work/big.dlt
    [[ $out == *.txt.* ]] && full=$work/big.txt
    rm -f "$work/$out"
    (ulimit -f 3000; exec "$DLTDUMP" --threads=$threads -o "$work/$out" "$work/big.dlt" 2> "$work/err")
    failed_write "ulimit $out ($threads threads)" $? "$work/$out" "$full"
  done
done

# A limit below the first frame: nothing whole to keep, and an empty file is no valid
# compressed file, so none is left.
for out in tiny.dlt.zst tiny.txt.gz; do
  for threads in 1 2; do
    rm -f "$work/$out"
    (ulimit -f 1; exec "$DLTDUMP" --threads=$threads -o "$work/$out" "$work/big.dlt" 2> "$work/err")
    rc=$?
    [ "$rc" -eq 5 ] || fail "ulimit below a frame, $out ($threads threads): exit $rc, expected 5"
    one_line "ulimit below a frame, $out" "$work/err"
    [ ! -e "$work/$out" ] || fail "ulimit below a frame, $out ($threads threads): $(stat -c %s "$work/$out") bytes left"
  done
done

# --- SIGINT while a file is decoded: a valid file of whole records, exit 130 -----------------
for out in sig.dlt.zst sig.txt.gz; do
  full=$work/big.dlt
  [[ $out == *.txt.* ]] && full=$work/big.txt
  rm -f "$work/$out"
  "$DLTDUMP" --threads=1 -o "$work/$out" "$work/big.dlt" 2> "$work/err" &
  pid=$!
  # once the program catches SIGINT (its SigCgt mask), then a moment into the run
  while mask=$(awk '/^SigCgt:/ {print $2}' /proc/$pid/status 2> /dev/null) && [ -n "$mask" ] &&
    (( ((16#$mask >> 1) & 1) == 0 )); do :; done
  sleep 0.3
  kill -INT $pid
  wait $pid
  rc=$?
  if [ $rc -eq 0 ]; then
    unpack "$work/$out" | cmp -s - "$full" || fail "SIGINT $out: finished without writing everything"
  else
    [ $rc -eq 130 ] || fail "SIGINT $out: exit $rc, expected 130"
    one_line "SIGINT $out" "$work/err"
    valid "SIGINT $out" "$work/$out"
    unpack "$work/$out" > "$work/cut"
    cmp -s -n "$(stat -c %s "$work/cut")" "$work/cut" "$full" || fail "SIGINT $out: not a prefix of the full output"
  fi
done

# --- an existing file; formats not written --------------------------------------------------
echo keep > "$work/exists.dlt.zst"
"$DLTDUMP" -o "$work/exists.dlt.zst" "$work/in.dlt" 2> "$work/err"
rc=$?
[ $rc -ne 0 ] || fail "existing file: exit 0"
one_line "existing file" "$work/err"
grep -q "already exists" "$work/err" || fail "existing file: said $(head -c 200 "$work/err")"
[ "$(cat "$work/exists.dlt.zst")" == keep ] || fail "existing file: overwritten"
for name in x.pcapng.zst x.pcap.gz x.json.xz x.tgz x.bz2; do
  "$DLTDUMP" -o "$work/$name" "$work/in.dlt" 2> "$work/err"
  rc=$?
  [ $rc -eq 1 ] || fail "-o $name: exit $rc, expected 1 (a usage error)"
  one_line "-o $name" "$work/err"
  [ -e "$work/$name" ] && fail "-o $name: created"
done
grep -q "compressed PCAP-NG" <("$DLTDUMP" -o "$work/x.pcapng.gz" "$work/in.dlt" 2>&1) ||
  fail "-o x.pcapng.gz: does not say compressed PCAP-NG"

# --- a full file system ------------------------------------------------------------------------
mkdir "$work/mnt"
if mount -t tmpfs -o size=3m tmpfs "$work/mnt" 2>/dev/null; then
  mnt="$work/mnt"
  for out in full.dlt.zst full.txt.gz full.jsonl.zst; do
    for threads in 1 2; do
      full=$work/big.dlt
      case $out in
        *.txt.*) full=$work/big.txt ;;
        *.jsonl.*) rm -f "$work/big.jsonl"; "$DLTDUMP" --threads=1 -o "$work/big.jsonl" "$work/big.dlt"; full=$work/big.jsonl ;;
      esac
      rm -f "$mnt"/*
      "$DLTDUMP" --threads=$threads -o "$mnt/$out" "$work/big.dlt" 2> "$work/err"
      failed_write "full disk $out ($threads threads)" $? "$mnt/$out" "$full"
    done
  done
  umount "$mnt" && mnt=""
else
  skipped="the full file system (mount -t tmpfs failed: not root?)"
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
[ -z "$skipped" ] || { echo "SKIP: $skipped"; exit 77; }
echo "compressed outputs: all passed"
