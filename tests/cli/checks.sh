# Sourced by the shell tests of the dltdump binary: a scratch directory removed at exit, and
# the two checks that count passes and failures.
export TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
pass=0
check() {  # check NAME CONDITION-EXIT-CODE
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
expect_eq() {  # expect_eq NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then pass=$((pass + 1)); else
    echo "FAIL: $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails + 1)); fi
}
# expect_fault_after_lines NAME RC REF MIN REGEX INPUT: `$DLTDUMP --threads=1 INPUT` exits
# RC, prints a prefix of the lines in file REF (more than MIN of them) into $work/out, then
# one line on stderr ($work/err) that matches REGEX (a cut or corrupt input).
expect_fault_after_lines() {
  local rc n
  "$DLTDUMP" --threads=1 "$6" > "$work/out" 2> "$work/err"; rc=$?
  n=$(wc -l < "$work/out")
  expect_eq "$1: exit $2" "$2" $rc
  head -n "$n" "$3" | cmp -s - "$work/out"; check "$1: a prefix of the lines" $?
  [ "$n" -gt "$4" ]; check "$1: the lines before the fault ($n)" $?
  expect_eq "$1: one line" 1 "$(wc -l < "$work/err")"
  grep -qE "$5" "$work/err"
  local ok=$?  # before the substitution in the name resets $?
  check "$1: the line names the input and the offsets: $(cat "$work/err")" $ok
}
