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
