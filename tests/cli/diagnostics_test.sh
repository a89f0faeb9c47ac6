#!/usr/bin/env bash
# Diagnostics of the dltdump binary (issue #19): standard output carries decoded lines only;
# every diagnostic is one line on standard error naming its culprit; the exit codes for one
# and several inputs; values that can never match or have no effect; output names that
# promise a format that is not written; -h, no input, ranges, `- -`, PCAP-NG block types.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
# shellcheck source=checks.sh
. "$(dirname "$0")/checks.sh"
fail() { echo "FAIL: $1"; [ $# -gt 1 ] && printf '  %s\n' "${@:2}"; fails=$((fails + 1)); }
ok() { pass=$((pass + 1)); }

# run ARGS...: runs dltdump in $work (bounded: a regression must not hang the suite); sets
# rc, and out/err to its standard output and error.
run() {
  (cd "$work" && timeout 60 "$DLTDUMP" "$@" > "$work/stdout" 2> "$work/stderr" < /dev/null)
  rc=$?
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}
# diag NAME RC TEXT ARGS...: exit code RC, nothing on standard output, exactly one line on
# standard error, which contains TEXT (the culprit: an option, a value, a file).
diag() {
  local name=$1 want_rc=$2 text=$3
  shift 3
  run "$@"
  local lines
  lines=$(wc -l < "$work/stderr")
  if [ "$rc" -ne "$want_rc" ]; then fail "$name: exit $rc, expected $want_rc" "stderr: $err"
  elif [ -n "$out" ]; then fail "$name: standard output is not empty" "$(head -2 "$work/stdout")"
  elif [ "$lines" -ne 1 ]; then fail "$name: $lines lines on standard error, expected 1" "$err"
  elif [[ "$err" != *"$text"* ]]; then fail "$name: the message does not name '$text'" "$err"
  else ok; fi
}
# lines_and_diag NAME RC EXPECTED-STDOUT-FILE TEXT ARGS...: exit code RC, standard output
# exactly the file's lines, one line on standard error containing TEXT.
lines_and_diag() {
  local name=$1 want_rc=$2 expected=$3 text=$4
  shift 4
  run "$@"
  local lines
  lines=$(wc -l < "$work/stderr")
  if [ "$rc" -ne "$want_rc" ]; then fail "$name: exit $rc, expected $want_rc" "stderr: $err"
  elif ! cmp -s "$expected" "$work/stdout"; then fail "$name: standard output is not exactly the decoded lines" "$(diff "$expected" "$work/stdout" | head -3)"
  elif [ "$lines" -ne 1 ]; then fail "$name: $lines lines on standard error, expected 1" "$err"
  elif [[ "$err" != *"$text"* ]]; then fail "$name: the message does not name '$text'" "$err"
  else ok; fi
}

"$DLTGEN" --count 40 --seed 1 --expect "$work/a.exp" -o "$work/a.dlt"
"$DLTGEN" --count 30 --seed 2 --expect "$work/b.exp" -o "$work/b.dlt"
cat "$work/a.exp" "$work/b.exp" > "$work/ab.exp"
: > "$work/nothing"
"$DLTGEN" --format net --count 500 --seed 31 -o "$work/c.bin"
"$CAPGEN" --dlt "$work/c.bin" --flows 3 --seed 31 -o "$work/c.pcapng"
head -c 20000 "$work/c.pcapng" > "$work/cut.pcapng"  # fails part-way: lines, then an error
"$DLTDUMP" "$work/cut.pcapng" > "$work/cut.exp" 2> /dev/null
[ -s "$work/cut.exp" ] && ok || fail "the cut capture decodes to some lines before its fault"

# 4. A search string that is not UTF-8: an option error naming it, not an internal error.
diag "-i -s \\xff" 1 "Option 'string' value '\\xFF' is not UTF-8" -i -s $'\xff' a.dlt
diag "-s \\xff" 1 "Option 'string' value '\\xFF' is not UTF-8" -s $'\xff' a.dlt
diag "-r \\xff" 1 "Option 'regex' value '\\xFF' is not UTF-8" -r $'\xff' a.dlt
diag "-s with a newline (one line on stderr)" 1 "Option 'string' value 'a\\x0Ab' holds a control character" -s $'a\nb' a.dlt

# 7. Diagnostics on standard error, decoded lines alone on standard output.
lines_and_diag "a missing input" 4 "$work/a.exp" "File not found $work/missing.dlt" a.dlt missing.dlt
lines_and_diag "a missing input between two" 4 "$work/ab.exp" "File not found $work/missing.dlt" a.dlt missing.dlt b.dlt
diag "unknown option" 1 "dltdump: Option '--bogus' not recognized" --bogus a.dlt
diag "missing argument" 1 "Option 'output' missing argument" a.dlt -o
diag "an option twice" 1 "Option 'force' provided multiple times" -f -f a.dlt
diag "unknown scheme" 2 "Don't know how to interpret abc:def." abc:def
diag "a missing input whose name holds an escape sequence (no control code)" 3 "File not found $work/\x1B[2Jx.dlt" $'\e[2Jx.dlt'
lines_and_diag "a missing input whose name holds a newline" 4 "$work/a.exp" "File not found $work/mis\x0Asing.dlt" a.dlt $'mis\nsing.dlt'
diag "bad regular expression" 1 "Invalid regular expression '(':" -r '(' a.dlt
diag "bad date" 1 "Can't interpret date 'whenever' for option 'not-after'." --not-after=whenever a.dlt
cp "$work/a.exp" "$work/exists.txt"
diag "existing output file" 3 "The file '$work/exists.txt' already exists." -o exists.txt a.dlt
cmp -s "$work/a.exp" "$work/exists.txt" && ok || fail "the existing output file is untouched"
# A name of the run's own descriptor is written where it ends, never refused or truncated
# (a tester's finding: -o /dev/stderr said the file exists when standard error was a file).
for name in /dev/stderr /dev/fd/2 /proc/self/fd/2; do
  for force in "" -f; do
    echo "kept" > "$work/err.log"
    (cd "$work" && timeout 60 "$DLTDUMP" $force -o "$name" a.dlt > "$work/stdout" 2>> "$work/err.log" < /dev/null)
    rc=$?
    { echo "kept"; cat "$work/a.exp"; } > "$work/err.exp"
    if [ "$rc" -eq 0 ] && [ ! -s "$work/stdout" ] && cmp -s "$work/err.exp" "$work/err.log"; then ok
    else fail "-o $name $force with standard error a file: exit $rc" "$(head -3 "$work/err.log")"; fi
  done
done
diag "a descriptor that is not open" 3 "Couldn't create the output file /dev/fd/9" -o /dev/fd/9 a.dlt
mkdir -p "$work/outdir"
diag "a directory as output" 3 "Cannot write to '$work/outdir': it is a directory." -o outdir a.dlt
diag "a directory as output, with -f" 3 "Cannot write to '$work/outdir': it is a directory." -f -o outdir a.dlt
diag "output into a missing directory" 3 "Couldn't create the output file $work/no-dir/x.txt" -o no-dir/x.txt a.dlt
diag "the input as output" 3 "Not overwriting the input file $work/a.dlt." -f -o a.dlt a.dlt
printf 'not a capture at all' > "$work/bad.pcap"
# What is said about reading an input names it as given (manual, Inputs), the rest absolute.
diag "not a capture" 3 "bad.pcap: not a PCAP or PCAP-NG file" --format=pcap bad.pcap
[[ "$err" == "bad.pcap: "* ]] && ok || fail "not a capture: the input named as given" "$err"
lines_and_diag "a capture that fails part-way" 3 "$work/cut.exp" "cut.pcapng: PCAP-NG truncated block" cut.pcapng
diag "an output file of this run named as a later input" 4 "Not reading $work/self.dlt: it is an output file of this run" -o self.dlt a.dlt self.dlt

# 11. An output name whose extension promises a format that is not written.
for name in out.pcap x.pcapng.gz x.json x.zstd x.tar '%FILE%.tgz'; do
  diag "-o $name" 1 "Option 'output' names '$name', but dltdump does not write" -o "$name" a.dlt
  [ ! -e "$work/$name" ] && ok || fail "-o $name: the file was written"
done
diag "-o ''" 1 "Option 'output' has an empty file name" -o '' a.dlt
diag "--capture ''" 1 "Option 'capture' has an empty file name" --capture= a.dlt

# 12. Values that can never match are errors; values without effect are warnings.
diag "--appid=TOOLONG" 1 "Option 'appid' value 'TOOLONG' is longer than 4 bytes (ids are 1-4 bytes)" --appid=TOOLONG a.dlt
diag "--ecuid=ECU123" 1 "Option 'ecuid' value 'ECU123' is longer than 4 bytes" --ecuid=ECU123 a.dlt
diag "--ctxid=CONTEXT" 1 "Option 'ctxid' value 'CONTEXT' is longer than 4 bytes" --ctxid=CONTEXT a.dlt
diag "--appid=NAV, (an empty item)" 1 "Option 'appid' has an empty value" --appid=NAV, a.dlt
diag "-s timeout, (an empty item)" 1 "Option 'string' has an empty value" -s timeout, a.dlt
diag "--type=warn,,error" 1 "Option 'type' has an empty value" --type=warn,,error a.dlt
diag "--type=999" 1 "Option 'type' value '999' can never match" --type=999 a.dlt
diag "--type=49 (the verbose bit)" 1 "Option 'type' value '49' can never match" --type=49 a.dlt
lines_and_diag "-A without a filter: a warning" 0 "$work/a.exp" "dltdump: warning: Option 'after-context' has no effect without a filter" -A 3 a.dlt
lines_and_diag "-B without a filter: a warning" 0 "$work/a.exp" "dltdump: warning: Option 'before-context' has no effect without a filter" -B 3 a.dlt
run -A 3 -s timeout a.dlt
[ "$rc" -eq 0 ] && [ -z "$err" ] && ok || fail "-A with a filter: no warning" "$err"
run --split 64k -o one.txt a.dlt
if [ "$rc" -eq 0 ] && [ -z "$out" ] && [ "$(wc -l < "$work/stderr")" -eq 1 ] &&
   [[ "$err" == *"warning: Option 'split' has no effect: the output name 'one.txt' holds no %CTR%"* ]] &&
   cmp -s "$work/a.exp" "$work/one.txt"; then ok; else fail "--split without %CTR% or a date: a warning, one file" "$err"; fi
lines_and_diag "--split without -o: a warning" 0 "$work/a.exp" "warning: Option 'split' has no effect without an output file (-o)" --split 64k a.dlt
lines_and_diag "-i without -s or -r: a warning" 0 "$work/a.exp" "warning: Option 'ignorecase' has no effect without -s or -r" -i --verbose --nonverbose --control a.dlt
lines_and_diag "--retries without tcp://: a warning" 0 "$work/a.exp" "warning: Option 'retries' has no effect without a tcp:// input" --retries=2 a.dlt
run --position -o pos.dlt a.dlt
if [ "$rc" -eq 0 ] && [ -z "$out" ] && [ "$(wc -l < "$work/stderr")" -eq 1 ] &&
   [[ "$err" == *"warning: Option 'position' has no effect on the output 'pos.dlt'"* ]] && cmp -s "$work/a.dlt" "$work/pos.dlt"
then ok; else fail "--position with a DLT output: a warning, the DLT copy" "$err"; fi
run --split 64k -o 'p_%CTR%.txt' a.dlt
[ "$rc" -eq 0 ] && [ -z "$err" ] && [ -f "$work/p_001.txt" ] && ok || fail "--split with %CTR%: no warning" "$err"

# 13. Exit codes for one and for several inputs (docs/manual.md, Exit codes).
expect_rc() {  # expect_rc NAME RC ARGS...
  local name=$1 want=$2
  shift 2
  run "$@"
  [ "$rc" -eq "$want" ] && ok || fail "$name: exit $rc, expected $want" "$err"
}
expect_rc "one input, processed" 0 a.dlt
expect_rc "one empty input, processed" 0 nothing
expect_rc "one input, failed" 3 missing.dlt
expect_rc "one input, failed part-way" 3 cut.pcapng
expect_rc "several inputs, all processed" 0 a.dlt b.dlt
expect_rc "several inputs, some failed" 4 a.dlt missing.dlt
expect_rc "several inputs, some failed part-way" 4 a.dlt cut.pcapng
expect_rc "several inputs, all failed" 3 missing.dlt missing2.dlt
expect_rc "several inputs, all failed, one part-way" 3 cut.pcapng missing.dlt

# -R: a dangling symbolic link below the folder is an input that cannot be opened (one line
# naming it, exit 4, the other files read); a FIFO is skipped with one warning naming it
# (reading it could wait forever: `timeout` ends a run that waits), also through a link.
mkdir -p "$work/tree/sub"
cp "$work/a.dlt" "$work/tree/a.dlt"
cp "$work/b.dlt" "$work/tree/sub/b.dlt"
ln -s "$work/gone.dlt" "$work/tree/dangling.dlt"
lines_and_diag "-R: a dangling link" 4 "$work/ab.exp" "File not found $work/tree/dangling.dlt" -R tree
ln -s loop.dlt "$work/tree/sub/loop.dlt"
run -R tree
[ "$rc" -eq 4 ] && [ "$(wc -l < "$work/stderr")" -eq 2 ] && grep -q "tree/sub/loop.dlt" "$work/stderr" &&
  cmp -s "$work/ab.exp" "$work/stdout" && ok || fail "-R: a dangling link and a link loop: exit $rc" "$err"
rm "$work/tree/dangling.dlt" "$work/tree/sub/loop.dlt"
mkfifo "$work/tree/sub/fifo.dlt"
ln -s "$work/tree/sub/fifo.dlt" "$work/tree/to_fifo"
run -R tree
if [ "$rc" -eq 0 ] && cmp -s "$work/ab.exp" "$work/stdout" && [ "$(wc -l < "$work/stderr")" -eq 2 ] &&
   grep -qx "dltdump: warning: Option 'recursive' skips 'tree/sub/fifo.dlt': a FIFO (named pipe), read only when named as an input" "$work/stderr" &&
   grep -q "skips 'tree/to_fifo': a FIFO" "$work/stderr"; then ok
else fail "-R: a FIFO and a link to it are skipped with a warning each: exit $rc" "$err"; fi
run --sort -R tree
[ "$rc" -eq 0 ] && [ "$(wc -l < "$work/stderr")" -eq 2 ] && ok || fail "--sort -R: FIFOs skipped with a warning: exit $rc" "$err"

# -R: a given folder that holds no file adds no input: one warning naming it, the other
# inputs are read (their exit code); nothing left at all is exit 3 (no input processed).
mkdir -p "$work/empty" "$work/only_fifo"
mkfifo "$work/only_fifo/pipe"
run -R empty a.dlt
if [ "$rc" -eq 0 ] && cmp -s "$work/a.exp" "$work/stdout" &&
   [ "$err" = "dltdump: warning: Option 'recursive' finds no file in 'empty'" ]; then ok
else fail "-R: an empty folder and a file: a warning, the file read, exit $rc" "$err"; fi
run -c -R empty a.dlt missing.dlt
[ "$rc" -eq 4 ] && [ "$out" = $'a.dlt:40\nmissing.dlt:0' ] && [ "$(wc -l < "$work/stderr")" -eq 2 ] && ok ||
  fail "-R: an empty folder, a file and a missing one: exit $rc (want 4)" "$out" "$err"
run -R empty
[ "$rc" -eq 3 ] && [ -z "$out" ] && [ "$err" = "dltdump: warning: Option 'recursive' finds no file in 'empty'" ] && ok ||
  fail "-R: an empty folder alone: one warning, exit $rc (want 3)" "$err"
run -R only_fifo b.dlt
if [ "$rc" -eq 0 ] && cmp -s "$work/b.exp" "$work/stdout" && [ "$(wc -l < "$work/stderr")" -eq 2 ] &&
   grep -q "skips 'only_fifo/pipe': a FIFO" "$work/stderr" && grep -q "finds no file in 'only_fifo'" "$work/stderr"; then ok
else fail "-R: a folder of a FIFO only: both warnings, the other input read, exit $rc" "$err"; fi

# -R: a folder that cannot be read (below the given one, or the given one) is an input that
# cannot be opened, in its place: one line naming it, the exit code of a failed input, the
# other inputs read. Root reads any folder: as root the runs are made as nobody.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  command -v runuser > /dev/null && runuser -u nobody -- "$DLTDUMP" --version > /dev/null 2>&1 && as_user=(runuser -u nobody --)
fi
if [ "$(id -u)" -eq 0 ] && [ ${#as_user[@]} -eq 0 ]; then
  echo "SKIPPED: -R with a folder that cannot be read (root, and cannot run dltdump as nobody with runuser)"
else
  perm=$(mktemp -d)
  trap 'chmod -R u+rwX "$perm" 2> /dev/null; rm -rf "$work" "$perm"' EXIT
  chmod 755 "$perm"
  mkdir -p "$perm/logs/ecu1" "$perm/logs/ecu2" "$perm/logs/ecu3" "$perm/deep/x/y" "$perm/closed"
  cp "$work/a.dlt" "$perm/logs/ecu1/a.dlt"
  cp "$work/a.dlt" "$perm/logs/ecu2/a.dlt"
  cp "$work/b.dlt" "$perm/logs/ecu3/b.dlt"
  cp "$work/b.dlt" "$perm/deep/x/y/b.dlt"
  cp "$work/b.dlt" "$perm/closed/b.dlt"
  cp "$work/b.dlt" "$perm/good.dlt"
  chmod -R a+rX "$perm"
  chmod 000 "$perm/logs/ecu2" "$perm/deep/x/y" "$perm/closed"
  # prun ARGS...: dltdump (as nobody when root) in $perm; rc, out, err as run sets them.
  prun() {
    (cd "$perm" && timeout 60 "${as_user[@]}" "$DLTDUMP" "$@" > "$work/stdout" 2> "$work/stderr" < /dev/null)
    rc=$?
    out=$(cat "$work/stdout")
    err=$(cat "$work/stderr")
  }
  prun -c -R logs good.dlt
  if [ "$rc" -eq 4 ] && [ "$out" = $'logs/ecu1/a.dlt:40\nlogs/ecu2:0\nlogs/ecu3/b.dlt:30\ngood.dlt:30' ] &&
     [ "$err" = "Insufficient permissions opening $perm/logs/ecu2 (Permission denied)" ]; then ok
  else fail "-R: an unreadable folder below: one line naming it, the rest read, exit $rc (want 4)" "$out" "$err"; fi
  prun -R logs
  [ "$rc" -eq 4 ] && cmp -s "$work/ab.exp" "$work/stdout" && [ "$(wc -l < "$work/stderr")" -eq 1 ] && ok ||
    fail "-R: an unreadable folder between two: the lines of the others in order, exit $rc" "$err"
  prun -c -R deep good.dlt
  [ "$rc" -eq 4 ] && [ "$out" = $'deep/x/y:0\ngood.dlt:30' ] &&
    [ "$err" = "Insufficient permissions opening $perm/deep/x/y (Permission denied)" ] && ok ||
    fail "-R: an unreadable folder two levels down is named, exit $rc (want 4)" "$out" "$err"
  prun -c -R closed good.dlt
  [ "$rc" -eq 4 ] && [ "$out" = $'closed:0\ngood.dlt:30' ] &&
    [ "$err" = "Insufficient permissions opening $perm/closed (Permission denied)" ] && ok ||
    fail "-R: the given folder unreadable: one line, the other input read, exit $rc (want 4)" "$out" "$err"
  prun -R closed
  [ "$rc" -eq 3 ] && [ "$(wc -l < "$work/stderr")" -eq 1 ] && ok || fail "-R: only an unreadable folder: exit $rc (want 3)" "$err"
  chmod -R u+rwX "$perm"
  rm -rf "$perm"
fi

# 16. Messages.
run -h
[ "$rc" -eq 0 ] && [[ "$out" == *"Usage: dltdump [options] <input>..."* ]] && [ -z "$err" ] && ok || fail "-h is --help" "$err"
run
if [ "$rc" -eq 1 ] && [ -z "$out" ] && [[ "$err" == *"Usage: dltdump"* ]] &&
   [ "$(tail -1 "$work/stderr")" = "dltdump: no input given" ]; then ok; else fail "no input: usage and 'no input given' on stderr, exit 1" "$err"; fi
diag "--threads out of range" 1 "Option 'threads' must be a whole number from 1 to 64, not '0'" --threads=0 a.dlt
diag "--messageid out of range" 1 "Invalid message identifier '4294967296' for option 'messageid', must be an integer from 0 to 4294967295" --messageid=4294967296 a.dlt
diag "--sessionid out of range" 1 "Option 'sessionid' must be a whole number from -2147483648 to 4294967295 (or 0x0 to 0xFFFFFFFF), not '4294967296'" --sessionid=4294967296 a.dlt
diag "-B out of range" 1 "Option 'before-context' must be a whole number from 0 to 100000, not '100001'" -s x -B 100001 a.dlt
diag "--retries out of range" 1 "Option 'retries' must be a whole number from -2147483648 to 2147483647, not '3000000000'" --retries=3000000000 a.dlt
diag "--split out of range" 1 "Option 'split' value '2147483648M' out of range" --split=2147483648M a.dlt
# --sessionid: the unsigned form dlt-viewer shows selects what the signed form does.
"$DLTGEN" --count 3000 --seed 11 -o "$work/f.dlt"
signed=$("$DLTDUMP" --sessionid=-559038737 "$work/f.dlt" | wc -l)
unsigned=$("$DLTDUMP" --sessionid=3735928559 "$work/f.dlt" 2> "$work/sess.err" | wc -l)
[ "$signed" -gt 0 ] && [ "$signed" -eq "$unsigned" ] && [ ! -s "$work/sess.err" ] && ok ||
  fail "--sessionid=3735928559 is --sessionid=-559038737 ($unsigned lines, $signed expected)" "$(cat "$work/sess.err")"
# Standard input once.
diag "- -" 2 "Input '-' (standard input) given 2 times" - -
# PCAP-NG block types in hex: a section header, then a block of type 0xBAD with length 13.
printf '\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\x1c\x00\x00\x00' > "$work/type.pcapng"
printf '\xad\x0b\x00\x00\x0d\x00\x00\x00\x00\x00\x00\x00' >> "$work/type.pcapng"
diag "PCAP-NG block type in hex" 3 "block of type 0x00000BAD with invalid length 13" type.pcapng

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
