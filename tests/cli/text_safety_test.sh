#!/usr/bin/env bash
# Contract 3 of issue #19: one message is one line, whatever bytes its text fields hold.
# A UTF-8 string with a line end, a carriage return and a terminal escape, and an
# application id holding a line end, must print as exactly one line with '.' for each
# control byte; the DLT output of the same file stays byte for byte the input.
set -u
DLTDUMP=$1
export TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

# Storage header, then a 38-byte packet: standard header with ECU id, extended header
# (log info, verbose, 1 argument, app "A\nP1", ctx "CTX1"), one UTF-8 string argument
# "one\ntwo\r\e[31m" with its NUL.
{
  printf 'DLT\x01\x00\x00\x00\x00\x00\x00\x00\x00ECU1'
  printf '\x25\x00\x00\x26ECU1'
  printf '\x41\x01A\nP1CTX1'
  printf '\x00\x82\x00\x00\x0e\x00one\ntwo\r\x1b[31m\x00'
} > "$work/forged.dlt"

for threads in 1 2; do
  "$DLTDUMP" --threads=$threads "$work/forged.dlt" > "$work/out.txt"
  [ $? -eq 0 ] || fail "exit code ($threads threads)"
  lines=$(wc -l < "$work/out.txt")
  [ "$lines" -eq 1 ] || fail "a string with a line end gives $lines lines ($threads threads)"
  expected='1970/01/01 00:00:00.000000 0.0000 0 ECU1 A.P1 CTX1 0 log info verbose 1 one.two..[31m'
  [ "$(cat "$work/out.txt")" == "$expected" ] || fail "line text: $(od -c "$work/out.txt" | head -3)"
  if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$work/out.txt"; then fail "a control byte reached the output"; fi
done

# U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line for Python's splitlines and
# many editors: '.' too (a new user's finding). A 37-byte packet, string "one<LS>two<PS>".
{
  printf 'DLT\x01\x00\x00\x00\x00\x00\x00\x00\x00ECU1'
  printf '\x25\x00\x00\x25ECU1'
  printf '\x41\x01APP1CTX1'
  printf '\x00\x82\x00\x00\x0d\x00one\xe2\x80\xa8two\xe2\x80\xa9\x00'
} > "$work/separators.dlt"
for threads in 1 2; do
  got=$("$DLTDUMP" --threads=$threads "$work/separators.dlt")
  expected='1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 0 log info verbose 1 one.two.'
  [ "$got" == "$expected" ] || fail "separators: $(printf '%s' "$got" | od -c | head -3) ($threads threads)"
done

# A file name holding U+2028, U+2029 or a bidi override: -c, CSV's input field and the
# diagnostics show each of their bytes as \xHH, so every reader sees one line each (a new
# user's finding: str.splitlines() split them); JSON records' input field as CSV's.
odd="$work/a"$'\u2028'"b"$'\u202e'"c.dlt"
cp "$work/separators.dlt" "$odd"
one_line_each() {  # TEXT: as many lines for Python's splitlines as for wc -l
  printf '%s' "$1" | /usr/bin/python3 -c 'import sys; t = sys.stdin.read(); sys.exit(len(t.splitlines()) != t.count("\n") + (not t.endswith("\n") and t != ""))'
}
got=$("$DLTDUMP" -c "$odd" "$work/forged.dlt")
[ "$got" == "$work/a\xE2\x80\xA8b\xE2\x80\xAEc.dlt:1
$work/forged.dlt:1" ] || fail "-c names: $got"
one_line_each "$got" || fail "-c: splitlines finds more lines"
got=$("$DLTDUMP" --out=csv "$odd")
one_line_each "$got" || fail "CSV: splitlines finds more lines: $got"
case "$got" in *'a\xE2\x80\xA8b\xE2\x80\xAEc.dlt'*) ;; *) fail "CSV input field: $got" ;; esac
got=$("$DLTDUMP" "$odd" "$work/missing"$'\u2029'".dlt" 2>&1 >/dev/null)
[ "$got" == "File not found $work/missing\xE2\x80\xA9.dlt" ] || fail "diagnostic: $got"
got=$("$DLTDUMP" --out=json "$odd")
case "$got" in *'a\\xE2\\x80\\xA8b\\xE2\\x80\\xAEc.dlt'*) ;; *) fail "JSON input field: $got" ;; esac

# DLT output stays byte-exact.
"$DLTDUMP" -o "$work/copy.dlt" "$work/forged.dlt"
cmp -s "$work/forged.dlt" "$work/copy.dlt" || fail "DLT output is not the input byte for byte"

if [ $fails -ne 0 ]; then echo "$fails text safety checks failed"; exit 1; fi
echo "text safety checks passed"
