#!/usr/bin/env bash
# The FIBEX command line (issue #21): the shared catalogues in check mode, the faults that
# are one line and exit 6, filters on decoded ids and texts, and the --nv-verbose round
# trip (the verbose file decodes without the catalogue to the same texts, and dlt-convert
# reads it without skipping a byte).
set -u
DLTDUMP=$1
NVGEN=$2
source "$(dirname "$0")/checks.sh"
shared=$(dirname "$0")/../../../shared/data/fibex

# 1. The shared catalogues (spec §8.1).
if [ -f "$shared/fibex-tcb.xml" ]; then
  out=$("$DLTDUMP" -F "$shared/fibex-tcb.xml" 2>&1); rc=$?
  expect_eq "fibex-tcb.xml checks clean" "0:" "$rc:$out"
  err=$("$DLTDUMP" -F "$shared/fibex-tcb-error-pduid.xml" 2>&1 > /dev/null); rc=$?
  expect_eq "the invalid catalogue: exit 6" 6 "$rc"
  expect_eq "the invalid catalogue: its two warnings" \
    "[$shared/fibex-tcb-error-pduid.xml] PduIdMissing : XML Line 74 Pos 14
[$shared/fibex-tcb-error-pduid.xml] FramePduRefIdUnknown : XML Line 218 Pos 26" "$err"
  err=$("$DLTDUMP" -F "$shared/fibex-tcb.xml,$shared/fibex-tcb2.xml" 2>&1 > /dev/null); rc=$?
  expect_eq "two ECUs' catalogues without --nv-multiecu: exit 6" 6 "$rc"
  expect_eq "… five DuplicateEntry lines" 5 "$(grep -c 'DuplicateEntry' <<< "$err")"
  out=$("$DLTDUMP" -F "$shared/fibex-tcb.xml" -F "$shared/fibex-tcb2.xml" --nv-multiecu 2>&1); rc=$?
  expect_eq "two ECUs' catalogues with --nv-multiecu: exit 0, quiet" "0:" "$rc:$out"
else
  echo "SKIP: ../shared/data/fibex is absent (the shared catalogues are not checked)"
fi

# 2. Faults: one line each, exit 6, nothing on standard output.
fault() {  # fault NAME EXPECTED-SUBSTRING ARGS...
  local name=$1 want=$2; shift 2
  out=$("$DLTDUMP" "$@" 2> "$work/err"); rc=$?
  expect_eq "$name: exit 6, no output" "6:" "$rc:$out"
  expect_eq "$name: one line on stderr" 1 "$(wc -l < "$work/err")"
  # (The result first: the command substitution in the name would reset $?.)
  grep -qF -- "$want" "$work/err"; local found=$?
  check "$name: names it ($(head -c 200 "$work/err"))" $found
}
mkdir -p "$work/empty"
printf '<fx:FIBEX xmlns:fx="http://www.asam.net/xml/fbx">\n<fx:ELEMENTS>\n' > "$work/cut.xml"
fault "missing file" "Fibex File not Found $work/nope.xml" -F "$work/nope.xml"
fault "empty directory" "no *.xml file in directory $work/empty" -F "$work/empty"
fault "truncated XML" "cut.xml: not well-formed XML at XML Line 2 Pos 14" -F "$work/cut.xml"
fault "truncated XML with an input" "cut.xml: not well-formed" -F "$work/cut.xml" "$work/cut.xml"
# What pugixml takes and XML does not (xmllint refuses each): one line, exit 6, the place.
if [ -f "$shared/fibex-tcb.xml" ]; then
  tcb=$shared/fibex-tcb.xml
  sed 's/Buffer near limit/Buffer\&#0;near limit/' "$tcb" > "$work/nul0.xml"
  sed 's/Buffer near limit/Buffer \&undefined; near limit/' "$tcb" > "$work/ent.xml"
  sed 's/<fx:FRAME ID="ID_11">/<fx:FRAME ID="ID_11" ID="ID_12">/' "$tcb" > "$work/dupattr.xml"
  sed "s/Buffer near limit/Buffer$(printf '\x01')near limit/" "$tcb" > "$work/ctl.xml"
  fault "&#0;" "nul0.xml: not well-formed XML at XML Line 69 Pos 32 (a character reference to U+0000, which XML \
does not allow)" -F "$work/nul0.xml"
  fault "&undefined;" "ent.xml: not well-formed XML at XML Line 69 Pos 33 (a reference to entity 'undefined'" \
    -F "$work/ent.xml"
  fault "an attribute twice" "dupattr.xml: not well-formed XML at XML Line $(grep -n 'ID="ID_11"' "$tcb" | cut -d: -f1) \
Pos 34 (attribute 'ID' given twice in one element)" -F "$work/dupattr.xml"
  fault "a raw control" "ctl.xml: not well-formed XML at XML Line 69 Pos 32 (a control character U+0001" -F "$work/ctl.xml"

  # A directory's hidden files are passed over; a file given twice is read once, said once.
  mkdir -p "$work/cats"
  cp "$tcb" "$work/cats/a.xml"
  cp "$tcb" "$work/cats/.hidden.xml"  # read, each frame would be a DuplicateEntry
  printf 'not xml' > "$work/cats/.b.xml"
  out=$("$DLTDUMP" -F "$work/cats" 2>&1); rc=$?
  expect_eq "-F DIR passes over hidden files: exit 0, quiet" "0:" "$rc:$out"
  out=$("$DLTDUMP" -F "$work/cats/a.xml,$work/cats/a.xml" 2>&1); rc=$?
  expect_eq "-F a.xml,a.xml: read once, said once, exit 0" "0:[$work/cats/a.xml] given twice: read once" "$rc:$out"
  out=$("$DLTDUMP" -F "$work/cats" -F "$work/cats/../cats/a.xml" 2>&1); rc=$?
  expect_eq "-F DIR -F DIR/a.xml: read once, said once, exit 0" \
    "0:[$work/cats/../cats/a.xml] given twice (also as $work/cats/a.xml): read once" "$rc:$out"
  out=$("$DLTDUMP" -F "$work/cats,$work/cats" 2>&1); rc=$?
  expect_eq "-F DIR,DIR: one line" "0:[$work/cats] given twice: read once" "$rc:$out"
  # Real duplicates keep DltDump's warnings.
  cp "$shared/fibex-tcb2.xml" "$work/cats/b.xml"
  err=$("$DLTDUMP" -F "$work/cats" -F "$work/cats/b.xml" 2>&1 > /dev/null); rc=$?
  expect_eq "a second ECU's file given twice: exit 6, its five DuplicateEntry lines after the note" \
    "6:[$work/cats/b.xml] given twice: read once
5" "$rc:$(head -1 <<< "$err")
$(grep -c "^\[$work/cats/b.xml\] DuplicateEntry : ID_" <<< "$err")"
fi
out=$("$DLTDUMP" --nv-verbose "$work/cut.xml" 2>&1 > /dev/null)
grep -q "Option 'nv-verbose' has no effect without 'fibex'" <<< "$out"; check "--nv-verbose without --fibex: a warning" $?

# 3. Decoded messages are filtered by what the catalogue says.
"$NVGEN" --mode default --format file --count 3000 --seed 5 --catalogue "$work/cat" \
  --expect "$work/exp" -o "$work/nv.dlt"
"$DLTDUMP" -F "$work/cat" "$work/nv.dlt" > "$work/all"
cmp -s "$work/exp" "$work/all"; check "nvgen's log decodes as expected" $?
app=$(awk -F'[ ]' '$0 ~ / non-verbose [2-9] \[/ && $6 != "" {print $6; exit}' "$work/all")
"$DLTDUMP" -F "$work/cat" --appid="$app" "$work/nv.dlt" > "$work/app"
expect_eq "--appid=$app: the lines that show it" "$(awk -F'[ ]' -v a="$app" '$6 == a' "$work/all" | wc -l)" \
  "$(wc -l < "$work/app")"
[ -s "$work/app" ]; check "--appid=$app matched some lines" $?
"$DLTDUMP" -F "$work/cat" --type=warn "$work/nv.dlt" > "$work/warn"
expect_eq "--type=warn: the lines of type log warn" "$(grep -c ' log warn ' "$work/all")" "$(wc -l < "$work/warn")"
word=$(grep -o 'non-verbose [2-9] \[[0-9]*\] [a-z]*' "$work/all" | awk '{print $4}' | grep -v '^$' | head -1)
"$DLTDUMP" -F "$work/cat" -s "$word" "$work/nv.dlt" > "$work/s"
expect_eq "-s $word: the lines whose text holds it" "$(cut -d' ' -f10- "$work/all" | grep -cF -- "$word")" \
  "$(wc -l < "$work/s")"
id=$(grep -o 'non-verbose [2-9] \[[0-9]*\]' "$work/all" | head -1 | tr -dc '0-9 ' | awk '{print $2}')
"$DLTDUMP" -F "$work/cat" --messageid="$id" -A 1 "$work/nv.dlt" > "$work/id"
grep -q "\[$id\]" "$work/id"; check "--messageid=$id -A 1 finds the message" $?

# 4. --nv-verbose: decoded messages become verbose ones with the same argument texts.
"$DLTDUMP" -F "$work/cat" --nv-verbose -o "$work/v.dlt" "$work/nv.dlt"; rc=$?
expect_eq "--nv-verbose -o v.dlt: exit 0" 0 "$rc"
"$DLTDUMP" "$work/v.dlt" > "$work/back"
expect_eq "as many messages back" "$(wc -l < "$work/all")" "$(wc -l < "$work/back")"
# Line by line: where the rewritten message is verbose, its ids, type, count and text are
# the decoded line's (the device time is rounded to milliseconds: not compared).
paste -d '\n' "$work/all" "$work/back" | awk '
  NR % 2 == 1 { a = $0; next }
  {
    if ($0 !~ / verbose [0-9]+ / || a !~ / non-verbose [0-9]+ \[/) next
    n++
    x = a; sub(/ non-verbose /, " verbose ", x); sub(/ \[[0-9]+\] /, " ", x)
    y = $0
    for (k = 0; k < 3; k++) { sub(/^[^ ]* /, "", x); sub(/^[^ ]* /, "", y) }
    if (x != y) { bad++; if (bad < 3) print "  decoded:   " a "\n  rewritten: " $0 > "/dev/stderr" }
  }
  END { printf "%d %d\n", n, bad + 0 }' > "$work/cmp"
read -r rewritten bad < "$work/cmp"
expect_eq "rewritten messages show the same texts" 0 "$bad"
[ "$rewritten" -gt 1000 ]; check "most decoded messages were rewritten ($rewritten)" $?
if command -v dlt-convert > /dev/null; then
  n=$(dlt-convert -a "$work/v.dlt" 2> /dev/null | grep -c '^[0-9]')
  expect_eq "dlt-convert reads every message of v.dlt" "$(wc -l < "$work/all")" "$n"
else
  echo "SKIP: dlt-convert not installed"
fi

echo "fibex_cli: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
