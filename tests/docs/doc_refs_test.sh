#!/usr/bin/env bash
# scripts/check-doc-refs.sh on a small tree made from the repository's reference copies:
# it passes on references that exist and fails, naming each, on every kind that does not.
# Usage: doc_refs_test.sh REPO_ROOT
set -euo pipefail
root=$1
check=$root/scripts/check-doc-refs.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

mkdir -p "$tmp/docs/spec" "$tmp/src" "$tmp/tests"
cp "$root"/docs/spec/dltdump-spec.md "$root"/docs/spec/aio-spec.md "$root"/docs/spec/README.md "$tmp/docs/spec/"
cp "$root/docs/deviations.md" "$tmp/docs/"

# References that exist, in each form the sources use.
cat > "$tmp/src/good.hpp" <<'SRC'
// Cuts a stream (dltdump-spec §4), files (spec §6.2, §6.3; the seed design's §2.4.4.7 table).
// Captures (dltdump-spec §5.3-5.5, deviations Q10-Q12), exit codes (spec §1.3-§1.4), Q20.
// The aio contract (aio-spec.md §1.2, checklist §5A); URIs (RFC 3986 §3.1, §99).
SRC
out=$(bash "$check" "$tmp" 2>&1) || fail "existing references refused: $out"

# One missing target of each kind.
cat > "$tmp/src/bad.hpp" <<'SRC'
// Unknown section (dltdump-spec §9.9), range end (spec §5.3-5.9), checklist (aio-spec §5Z).
// Deviations Q99 and Q24-Q91; design (seed §1.2.3); see ../shared/docs/deviations.md.
SRC
echo '| Q3 | a second definition | |' > "$tmp/docs/manual.md"
if out=$(bash "$check" "$tmp" 2>&1); then
  fail "missing references accepted"
fi
for want in "dltdump-spec §9.9" "dltdump-spec §5.9" "aio-spec §5Z" "deviation Q99" "deviation Q90" \
            "deviation Q91" "seed §1.2.3" "shared/docs" "docs/manual.md:1: a deviation row outside"; do
  grep -qF -- "$want" <<<"$out" || fail "not reported: $want"
done
grep -qF "deviation Q24," <<<"$out" && fail "Q24 exists but was reported"

# A deviation defined twice in the list itself.
rm "$tmp/src/bad.hpp" "$tmp/docs/manual.md"
echo '| Q5 | again | again |' >> "$tmp/docs/deviations.md"
if out=$(bash "$check" "$tmp" 2>&1) || ! grep -qF "defines Q5 a second time" <<<"$out"; then
  fail "a second Q5 row not reported: $out"
fi

[[ $fails == 0 ]] && echo "doc_refs_test: all checks passed"
exit $((fails > 0))
