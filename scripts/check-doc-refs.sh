#!/usr/bin/env bash
# Checks that every specification section and every deviation the sources and docs cite
# exists in the repository's copies (docs/spec/README.md says what resolves where):
#
#   dltdump-spec §6.2, spec §1.5, a bare §4   → a `## 6.` / `### 6.2` heading of docs/spec/dltdump-spec.md
#   aio-spec.md §3, aio-spec §5A              → a heading of docs/spec/aio-spec.md; §5A: the
#                                               `**A. …` checklist within its section 5
#   seed §2.4.4.7                             → a `seed §2.4.4.7` heading of docs/spec/README.md
#   RFC 3986 §3                               → outside the repository, not checked
#   Q12, deviation Q20, Q10-Q12               → exactly one `| Q12 |` row of docs/deviations.md
#
# A bare §N belongs to the document the same line cited last, else the one the file cited
# last, else dltdump-spec (a spec copy's own bare §N: that copy). Also fails when a `| Qn |`
# row appears outside docs/deviations.md (a second definition), and when src/, tests/ or
# tools/ point at ../shared/docs instead of the copies. Notes, without failing, a copy that
# differs from ../shared/docs (when that is present).
#
# Usage: scripts/check-doc-refs.sh [REPO_ROOT]   (default: this script's repository);
# DOC_REFS_VERBOSE=1 lists every reference with the document it resolved to.
# Exit 0 when every reference resolves, 1 otherwise (each failure one line, file:line).
set -euo pipefail
root=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
cd "$root"

spec=docs/spec/dltdump-spec.md aio=docs/spec/aio-spec.md index=docs/spec/README.md devs=docs/deviations.md
for f in "$spec" "$aio" "$index" "$devs"; do
  [[ -f $f ]] || { echo "check-doc-refs: $f is missing" >&2; exit 1; }
done

# The files that cite: sources, tests, tools, benchmarks, fuzzers and docs (not build output;
# not this checker's own test, whose broken references are its fixtures).
mapfile -t files < <(find src tests tools bench fuzz docs README.md -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.sh' -o -name '*.md' \
     -o -name '*.txt' -o -name '*.py' -o -name '*.cmake' \) \
  ! -path tests/docs/doc_refs_test.sh 2>/dev/null | sort)

status=0
# One awk pass: the first four files are the targets (their anchors), the rest cite.
awk -v verbose="${DOC_REFS_VERBOSE:-0}" -v spec="$spec" -v aio="$aio" -v index_md="$index" -v devs="$devs" '
function anchor_heading(doc, line,   m) {
  # "## 8. Title", "### 8.2 Title", "#### 2.4.4.7. Title"
  if (match(line, /^##+ [0-9]+(\.[0-9]+)*\.?( |$)/)) {
    m = substr(line, 1, RLENGTH); sub(/^#+ /, "", m); sub(/ $/, "", m); sub(/\.$/, "", m)
    have[doc SUBSEP m] = 1
    if (m !~ /\./) top[doc] = m
  } else if (doc == "aio" && match(line, /^\*\*[A-Z]\. /) && top[doc] != "") {
    have[doc SUBSEP top[doc] substr(line, 3, 1)] = 1
  }
}
function fail(msg) { print FILENAME ":" FNR ": " msg; bad = 1 }
function doc_name(d) { return d == "dlt" ? spec : d == "aio" ? aio : index_md }
function check_section(d, s) {
  if (!((d SUBSEP s) in have)) fail("cites " (d == "dlt" ? "dltdump-spec" : d == "aio" ? "aio-spec" : "seed") " §" s ", which " doc_name(d) " does not have")
  else { nsec++; if (verbose) print FILENAME ":" FNR ": " d " §" s }
}
function check_q(n) {
  n += 0
  if (qdef[n] == 0) fail("cites deviation Q" n ", which " devs " does not define")
  else { nq++; if (verbose) print FILENAME ":" FNR ": Q" n }
}
FNR == 1 { fileno++; filedoc = (FILENAME == aio) ? "aio" : "dlt" }
fileno == 1 { anchor_heading("dlt", $0) }
fileno == 2 { anchor_heading("aio", $0) }
fileno == 3 && match($0, /^#+ seed §[0-9]+(\.[0-9]+)*/) {
  m = substr($0, 1, RLENGTH); sub(/^.*§/, "", m); have["seed" SUBSEP m] = 1
}
fileno == 4 && match($0, /^\| *Q[0-9]+ *\|/) {
  m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); qdef[m + 0]++
  if (qdef[m + 0] > 1) fail("defines Q" m " a second time")
}
fileno > 4 && FILENAME != devs && match($0, /^\| *Q[0-9]+ *\|/) {
  fail("a deviation row outside " devs " (define each Qn there only)")
}
fileno > 4 {
  # Section references.
  linedoc = ""; rest = $0; before = ""
  while (match(rest, /§ ?[0-9]+(\.[0-9]+)*[A-Z]?/)) {
    before = before substr(rest, 1, RSTART - 1)
    ref = substr(rest, RSTART, RLENGTH); sub(/^§ ?/, "", ref)
    rest = substr(rest, RSTART + RLENGTH)
    tail = before; sub(/[ (]*$/, "", tail)
    if (tail ~ /RFC ?[0-9]+$/) { linedoc = "ext"; before = before "§" ref; continue }
    if (tail ~ /aio-spec(\.md)?$/) d = "aio"
    else if (tail ~ /seed( design.s)?$/) d = "seed"
    else if (tail ~ /spec(\.md)?$/) d = "dlt"
    else d = (linedoc != "" ? linedoc : filedoc)
    linedoc = d
    if (d != "ext") filedoc = d
    before = before "§" ref
    if (d == "ext") continue
    check_section(d, ref)
    # A range "§5.3-5.5": its end too.
    if (match(rest, /^-[0-9]+(\.[0-9]+)*/)) {
      check_section(d, substr(rest, 2, RLENGTH - 1))
      before = before substr(rest, 1, RLENGTH); rest = substr(rest, RLENGTH + 1)
    }
  }
  # Deviation references (the definitions file cites none of its own).
  if (FILENAME == devs) next
  rest = $0; prev = ""
  while (match(rest, /Q[0-9]+/)) {
    pre = (RSTART > 1) ? substr(rest, RSTART - 1, 1) : prev
    post = substr(rest, RSTART + RLENGTH, 1)
    n = substr(rest, RSTART + 1, RLENGTH - 1)
    prev = substr(rest, RSTART + RLENGTH - 1, 1)
    rest = substr(rest, RSTART + RLENGTH)
    if (pre ~ /[A-Za-z0-9_]/ || post ~ /[A-Za-z0-9_]/) continue
    check_q(n)
    if (match(rest, /^(-|–)Q?[0-9]+/)) {
      m = substr(rest, 1, RLENGTH); gsub(/[^0-9]/, "", m)
      for (k = n + 1; k <= m + 0; k++) check_q(k)
      prev = substr(rest, RLENGTH, 1); rest = substr(rest, RLENGTH + 1)
    }
  }
}
END {
  printf "check-doc-refs: %d section references, %d deviation references checked\n", nsec, nq
  exit bad
}' "$spec" "$aio" "$index" "$devs" "${files[@]}" || status=1

# References into ../shared/docs from code: they must name the repository's copies.
if grep -rn --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.sh' --include='*.txt' \
     --exclude=doc_refs_test.sh 'shared/docs' src tests tools 2>/dev/null; then
  echo "check-doc-refs: the lines above point at ../shared/docs; cite docs/spec/ or docs/deviations.md" >&2
  status=1
fi

# The copies against their source, when it is beside the repository (a note only: the
# copies are what the references resolve to).
for f in dltdump-spec aio-spec; do
  src=../shared/docs/$f.md
  if [[ -f $src ]] && ! tail -n +3 "docs/spec/$f.md" | cmp -s - "$src"; then
    echo "check-doc-refs: note: docs/spec/$f.md differs from $src (copy it again?)" >&2
  fi
done

[[ $status == 0 ]] && echo "check-doc-refs: every reference resolves"
exit $status
