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
# In a sanitizer build (DLTDUMP_SANITIZED, 10-20 times slower), keeps every EVERY-th
# element of the array named NAME, and its last: each kind of case still runs under the
# sanitizer, the whole product in the release build (cli_checks.sampled for Python).
sample_cases() {  # sample_cases NAME [EVERY]
  [ -n "${DLTDUMP_SANITIZED:-}" ] || return 0
  local -n cases=$1
  local every=${2:-3} i kept=()
  ((${#cases[@]} <= 2)) && return 0
  for ((i = 0; i < ${#cases[@]}; i += every)); do kept+=("${cases[i]}"); done
  (((${#cases[@]} - 1) % every != 0)) && kept+=("${cases[-1]}")
  cases=("${kept[@]}")
}
expect_eq() {  # expect_eq NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then pass=$((pass + 1)); else
    echo "FAIL: $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails + 1)); fi
}
# expect_fault NAME RC REGEX ARG...: `$DLTDUMP ARG...` exits RC and says one line on stderr
# ($work/err) that matches the extended REGEX (a cut or corrupt input); its standard output
# is left in $work/out.
expect_fault() {
  local name=$1 rc=$2 regex=$3 got ok
  shift 3
  "$DLTDUMP" "$@" > "$work/out" 2> "$work/err"; got=$?
  expect_eq "$name: exit $rc, one line" "$rc:1" "$got:$(wc -l < "$work/err")"
  grep -qE "$regex" "$work/err"
  ok=$?  # before the substitution in the name resets $?
  check "$name: the line: $(head -c 400 "$work/err")" $ok
}
# expect_fault_after_lines NAME RC REF MIN REGEX INPUT: `$DLTDUMP --threads=1 INPUT` exits
# RC, prints a prefix of the lines in file REF (more than MIN of them) into $work/out — the
# whole messages before a cut, no SKIP line for the message it cut (util::Error::cut; it
# once ended in one) — then one line on stderr ($work/err) that matches REGEX (a cut input).
expect_fault_after_lines() {
  local n ok
  expect_fault "$1" "$2" "$5" --threads=1 "$6"
  n=$(wc -l < "$work/out")
  head -n "$n" "$3" | cmp -s - "$work/out"
  ok=$?  # before the substitution in the name resets $?
  check "$1: a prefix of the lines, no SKIP line after: $(tail -n 1 "$work/out" | cut -c 1-200)" $ok
  [ "$n" -gt "$4" ]; check "$1: the lines before the fault ($n)" $?
}
