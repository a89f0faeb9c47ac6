#!/usr/bin/env bash
# Golden tests of FIBEX decoding (issue #21, spec §8): nvgen writes random catalogues and
# non-verbose logs that use them, and the exact lines dltdump must print, computed from the
# values it chose (never by a decoder). Every lookup mode × input format × two seeds, the
# file list and stdin forms of the inputs, parallel decoding, a capture, a larger catalogue,
# and the catalogues each mode must refuse (DuplicateEntry, exit 6).
set -u
DLTDUMP=$1
NVGEN=$2
CAPGEN=$3
source "$(dirname "$0")/checks.sh"

# The dltdump options of each nvgen --mode.
flags_of() {
  case $1 in
    default) flags=() ;;
    noexthdr) flags=(--nv-noexthdr) ;;
    multiecu) flags=(--nv-multiecu) ;;
    multiecu-noexthdr) flags=(--nv-multiecu --nv-noexthdr) ;;
  esac
}
# same NAME EXPECTED ACTUAL: files equal; on failure the first differing lines
same() {
  if cmp -s "$2" "$3"; then pass=$((pass + 1)); else
    echo "FAIL: $1"; diff "$2" "$3" | head -4 | cut -c1-300; fails=$((fails + 1)); fi
}

# 1. Every mode, format and two seeds, byte for byte.
for mode in default noexthdr multiecu multiecu-noexthdr; do
  flags_of "$mode"
  for fmt in file net ser; do
    for seed in 1 2; do
      name="$mode $fmt seed $seed"
      cat="$work/cat-$mode-$fmt-$seed"
      mkdir -p "$cat"
      "$NVGEN" --mode "$mode" --format "$fmt" --seed "$seed" --ecus $((seed + 2)) --frames 40 --count 3000 \
        --catalogue "$cat" --expect "$work/exp" -o "$work/in"
      check "$name: nvgen" $?
      "$DLTDUMP" -F "$cat" "${flags[@]}" --format="$fmt" "$work/in" > "$work/out" 2> "$work/err"
      check "$name: exit 0" $?
      expect_eq "$name: nothing on stderr" "" "$(head -3 "$work/err")"
      same "$name: the lines nvgen expects" "$work/exp" "$work/out"
      # the files one by one, in the directory's order, over two -F options; then stdin
      files=("$cat"/*.xml)
      rest=$(IFS=,; echo "${files[*]:1}")
      if [ -n "$rest" ]; then
        "$DLTDUMP" -F "${files[0]}" -F "$rest" "${flags[@]}" --format="$fmt" "$work/in" > "$work/out2" 2> /dev/null
      else
        "$DLTDUMP" -F "${files[0]}" "${flags[@]}" --format="$fmt" "$work/in" > "$work/out2" 2> /dev/null
      fi
      same "$name: -F file list" "$work/exp" "$work/out2"
      "$DLTDUMP" -F "$cat" "${flags[@]}" --format="$fmt" - < "$work/in" > "$work/out3" 2> /dev/null
      same "$name: through stdin" "$work/exp" "$work/out3"
    done
  done
done

# 1b. The benchmark's mix (--clean: most messages as their ECU writes them), every mode.
for mode in default noexthdr multiecu multiecu-noexthdr; do
  flags_of "$mode"
  cat="$work/cat-clean-$mode"
  mkdir -p "$cat"
  "$NVGEN" --mode "$mode" --clean 90 --seed 5 --ecus 3 --count 3000 --catalogue "$cat" --expect "$work/exp" -o "$work/in"
  "$DLTDUMP" -F "$cat" "${flags[@]}" "$work/in" > "$work/out" 2> /dev/null
  same "$mode --clean 90: the lines nvgen expects" "$work/exp" "$work/out"
done

# 2. Check mode: a valid catalogue loads silently.
out=$("$DLTDUMP" -F "$work/cat-default-file-1" 2>&1); rc=$?
expect_eq "check mode: exit 0, no output" "0:" "$rc:$out"

# 3. Parallel decoding of a file large enough to be split: the same lines.
mkdir -p "$work/cat-big"
"$NVGEN" --mode default --format file --seed 5 --ecus 4 --frames 60 --size 9M \
  --catalogue "$work/cat-big" --expect "$work/big.exp" -o "$work/big.dlt"
for t in 1 2; do
  "$DLTDUMP" -F "$work/cat-big" --threads=$t "$work/big.dlt" > "$work/big.out" 2> /dev/null
  check "9 MiB file, --threads=$t: exit 0" $?
  same "9 MiB file, --threads=$t: the lines nvgen expects" "$work/big.exp" "$work/big.out"
done
mkdir -p "$work/cat-bigm"
"$NVGEN" --mode multiecu-noexthdr --format file --seed 6 --ecus 3 --frames 60 --size 9M \
  --catalogue "$work/cat-bigm" --expect "$work/bigm.exp" -o "$work/bigm.dlt"
"$DLTDUMP" -F "$work/cat-bigm" --nv-multiecu --nv-noexthdr --threads=2 "$work/bigm.dlt" > "$work/bigm.out" 2> /dev/null
same "9 MiB file, multiecu-noexthdr, --threads=2" "$work/bigm.exp" "$work/bigm.out"

# 4. A capture of a network recording: the same lines from the device time on (a capture
#    has its own times).
for mode in default multiecu; do
  flags_of "$mode"
  mkdir -p "$work/cat-cap-$mode"
  "$NVGEN" --mode "$mode" --format net --seed 7 --ecus 3 --count 3000 \
    --catalogue "$work/cat-cap-$mode" --expect "$work/cap.exp" -o "$work/cap.bin"
  "$CAPGEN" --dlt "$work/cap.bin" --flows 1 --seed 7 -o "$work/cap.pcapng"
  "$DLTDUMP" -F "$work/cat-cap-$mode" "${flags[@]}" "$work/cap.pcapng" 2> /dev/null > "$work/cap.lines"
  cut -d' ' -f3- "$work/cap.lines" > "$work/cap.out"
  cut -d' ' -f3- "$work/cap.exp" > "$work/cap.want"
  same "capture ($mode): the lines nvgen expects" "$work/cap.want" "$work/cap.out"
  # The times are the datagrams', as without the catalogue (a line taken back and written
  # again as a byte dump must not be located twice).
  "$DLTDUMP" "$work/cap.pcapng" 2> /dev/null | cut -d' ' -f1,2 > "$work/cap.times.want"
  cut -d' ' -f1,2 "$work/cap.lines" > "$work/cap.times"
  same "capture ($mode): the datagrams' times" "$work/cap.times.want" "$work/cap.times"
done

# 5. A larger catalogue (tens of MB): the same lines.
mkdir -p "$work/cat-large"
"$NVGEN" --mode multiecu --format net --seed 8 --ecus 6 --frames 2000 --count 20000 \
  --catalogue "$work/cat-large" --expect "$work/large.exp" -o "$work/large.bin"
"$DLTDUMP" -F "$work/cat-large" --nv-multiecu --format=net "$work/large.bin" > "$work/large.out" 2> /dev/null
same "catalogue of $(du -sm "$work/cat-large" | cut -f1) MB: the lines nvgen expects" "$work/large.exp" "$work/large.out"

# 6. Catalogues a mode must refuse: nvgen repeats a frame (APP, CTX, id) across ECU files in
#    the multiecu modes and an id across files in default mode (spec §8.2: DuplicateEntry,
#    exit 6, nothing decoded).
refused() {  # refused NAME CATALOGUE FLAGS...
  local name=$1 cat=$2
  shift 2
  "$DLTDUMP" -F "$cat" "$@" --format=net "$work/in.net" > "$work/dup.out" 2> "$work/dup.err"
  rc=$?
  expect_eq "$name: exit 6" 6 "$rc"
  expect_eq "$name: no lines" "" "$(head -3 "$work/dup.out")"
  grep -q "DuplicateEntry" "$work/dup.err"
  check "$name: the warning names DuplicateEntry" $?
}
mkdir -p "$work/cat-scratch"
"$NVGEN" --format net --count 10 --seed 9 --catalogue "$work/cat-scratch" -o "$work/in.net"  # any log
refused "multiecu catalogue without --nv-multiecu" "$work/cat-multiecu-net-1"
refused "multiecu catalogue with --nv-noexthdr only" "$work/cat-multiecu-net-1" --nv-noexthdr
refused "multiecu-noexthdr catalogue with --nv-noexthdr only" "$work/cat-multiecu-noexthdr-net-1" --nv-noexthdr
refused "default catalogue with --nv-noexthdr" "$work/cat-default-net-1" --nv-noexthdr
out=$("$DLTDUMP" -F "$work/cat-multiecu-net-1" > /dev/null 2>&1); rc=$?
expect_eq "check mode of a multiecu catalogue without --nv-multiecu: exit 6" 6 "$rc"
out=$("$DLTDUMP" -F "$work/cat-multiecu-net-1" --nv-multiecu 2>&1); rc=$?
expect_eq "check mode of a multiecu catalogue with --nv-multiecu: exit 0, no output" "0:" "$rc:$out"

# 7. A path that is neither file nor directory (spec §8.1).
out=$("$DLTDUMP" -F "$work/no-such.xml" "$work/in.net" 2>&1 > /dev/null); rc=$?
expect_eq "missing FIBEX path: exit 6" 6 "$rc"
case $out in *"$work/no-such.xml"*) r=0 ;; *) r=1 ;; esac
check "missing FIBEX path: the message names it" $r

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
