#!/usr/bin/env bash
# Matrix test (issue #19): {one, several} inputs × {console, text file, DLT, PCAP-NG,
# %FILE%} × {no context, -A, -B, both} × {1, 2 threads}, each output against a reference
# computed simply: every input decoded alone without a filter gives its lines, and a small
# reference implementation (Debian's python3) applies the filter and grep-style context
# to them — context carried from one input to the next in one combined output, restarted
# for each input's own %FILE% output. DLT and PCAP-NG outputs are decoded back and compared
# as text; only the counter of skip lines (-1 as a line, a counter as a SKIP message) may
# differ. Every run must exit 0 and write nothing to standard
# output but lines (nothing at all with -o); a missing input adds nothing there.
#
# Inputs of mixed formats, in an order that makes context cross their borders: a 5 MiB DLT
# file (decoded in parallel on 2 threads), a DLT file whose last message matches, a 4 MiB
# capture (decoded in chunks on 2 threads), a network recording (recognised by its
# content) and a DLT file whose first messages match. The filter is --appid=RARE (1 % of
# messages). %FILE% is tried with text and DLT outputs.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
PYTHON=/usr/bin/python3  # Debian's interpreter (a plain `python3` may be another one)
export TZ=UTC
if [ ! -x "$PYTHON" ]; then echo "SKIPPED: $PYTHON missing (Debian package python3)"; exit 77; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
pass=0
check() {  # check NAME EXIT-CODE-OF-THE-CONDITION
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

# The inputs, and each one's format for its reference run.
"$DLTGEN" --format file --size 5M --seed 11 --corrupt 2 --rare-app RARE -o "$work/big.dlt"
"$DLTGEN" --format net --count 3000 --seed 12 --rare-app RARE -o "$work/rec.bin"  # clean: its start must say "network"
"$DLTGEN" --format file --count 100 --seed 13 --rare-app RARE -o "$work/ends.dlt"  # message 100 is RARE
"$DLTGEN" --format file --count 300 --seed 14 --rare-app RARE -o "$work/rare_src.dlt"
"$DLTGEN" --format file --count 50 --seed 15 -o "$work/tail.dlt"
"$DLTDUMP" --appid=RARE -o "$work/rare.dlt" "$work/rare_src.dlt"
cat "$work/rare.dlt" "$work/tail.dlt" > "$work/starts.dlt"  # three RARE messages first
"$DLTGEN" --format net --size 3M --seed 16 --rare-app RARE -o "$work/cap_src.bin"
"$CAPGEN" --dlt "$work/cap_src.bin" --flows 3 -o "$work/cap.pcapng" > /dev/null
one=(big.dlt)
several=(big.dlt ends.dlt cap.pcapng rec.bin starts.dlt)  # -A crosses into cap, -B into starts
declare -A format=([big.dlt]=file [rec.bin]=net [ends.dlt]=file [starts.dlt]=file [cap.pcapng]=pcap)
mkdir -p "$work/ref"
for f in "${several[@]}"; do
  "$DLTDUMP" --format="${format[$f]}" "$work/$f" > "$work/ref/$f.txt" 2> /dev/null
  check "reference: $f decodes alone" $?
  # --format=auto chooses by content (shared contract 5), so the inputs can be mixed.
  "$DLTDUMP" "$work/$f" 2> /dev/null | cmp -s - "$work/ref/$f.txt"
  check "$f: --format=auto decodes it as ${format[$f]}" $?
done

cat > "$work/ref.py" << 'EOF'
import sys

def fields(line):
    return line.split(' ')

def select(lines, after, before):
    """grep -A after -B before over the lines whose APP is RARE."""
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if fields(line)[5] == 'RARE':
            for j in range(max(0, i - before), min(len(lines), i + after + 1)):
                keep[j] = True
    return [l for l, k in zip(lines, keep) if k]

def read_lines(path):
    with open(path, 'rb') as f:
        return f.read().decode('utf-8', 'surrogateescape').splitlines()

def write_lines(path, lines):
    with open(path, 'wb') as f:
        f.write(''.join(l + '\n' for l in lines).encode('utf-8', 'surrogateescape'))

def normalised(line, pcapng):
    f = fields(line)
    if f[5:7] == ['SKIP', 'SKIP'] and f[4] == '':
        f[3] = 'C'  # the skip counter: -1 as a line, a counter as a SKIP message
    return f

if sys.argv[1] == 'expect':
    # expect OUT after before combined|per-input REF... : the expected text(s)
    out, after, before, mode, refs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6:]
    if mode == 'combined':
        write_lines(out, select([l for r in refs for l in read_lines(r)], after, before))
    else:
        for r in refs:
            write_lines(out + '/' + r.rsplit('/', 1)[1], select(read_lines(r), after, before))
elif sys.argv[1] == 'compare':
    # compare EXPECTED GOT dlt|pcapng: decoded lines against the expected lines
    want, got, pcapng = read_lines(sys.argv[2]), read_lines(sys.argv[3]), sys.argv[4] == 'pcapng'
    if len(want) != len(got):
        print(f'  {len(got)} lines decoded, {len(want)} expected')
    for i, (w, g) in enumerate(zip(want, got)):
        wf, gf = normalised(w, pcapng), normalised(g, pcapng)
        if wf != gf:
            print(f'  line {i + 1}: expected {w[:160]!r}')
            print(f'  line {i + 1}: decoded  {g[:160]!r}')
            sys.exit(1)
    sys.exit(1 if len(want) != len(got) else 0)
EOF

# run NAME EXPECTED-TEXT-OR-DIR KIND OPTIONS... -- INPUTS...: one matrix cell.
run_cell() {
  local name=$1 expected=$2 kind=$3
  shift 3
  local opts=() inputs=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  for f in "$@"; do inputs+=("$work/$f"); done
  rm -rf "$work/out" && mkdir -p "$work/out"
  local target=()
  case $kind in
    console) ;;
    text) target=(-o "$work/out/all.txt") ;;
    dlt) target=(-o "$work/out/all.dlt") ;;
    pcapng) target=(-o "$work/out/all.pcapng") ;;
    file) target=(-o "$work/out/%FILE%.txt") ;;
    file_dlt) target=(-o "$work/out/%FILE%.dlt") ;;
  esac
  "$DLTDUMP" "${opts[@]}" "${target[@]}" "${inputs[@]}" > "$work/stdout" 2> "$work/stderr"
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL: $name: exit $rc ($(head -c 300 "$work/stderr"))"; fails=$((fails + 1)); return
  fi
  local ok=0
  case $kind in
    console)
      cmp -s "$expected" "$work/stdout" || { ok=1; diff "$expected" "$work/stdout" | head -4 | cut -c1-200; } ;;
    text)
      [ -s "$work/stdout" ] && { ok=1; echo "  standard output is not empty with -o"; }
      cmp -s "$expected" "$work/out/all.txt" || { ok=1; diff "$expected" "$work/out/all.txt" | head -4 | cut -c1-200; } ;;
    dlt | pcapng)
      [ -s "$work/stdout" ] && { ok=1; echo "  standard output is not empty with -o"; }
      "$DLTDUMP" "$work/out/all.$kind" > "$work/back.txt" 2> /dev/null
      $PYTHON "$work/ref.py" compare "$expected" "$work/back.txt" "$kind" || ok=1 ;;
    file | file_dlt)
      [ -s "$work/stdout" ] && { ok=1; echo "  standard output is not empty with -o"; }
      for f in "$@"; do
        local out="$work/out/${f%.*}.txt"
        [ $kind = file_dlt ] && out="$work/out/${f%.*}.dlt"
        if [ -s "$expected/$f.txt" ]; then
          if [ $kind = file ]; then
            cmp -s "$expected/$f.txt" "$out" || { ok=1; echo "  $f's output differs from its run alone:"; diff "$expected/$f.txt" "$out" 2>&1 | head -4 | cut -c1-200; }
          else
            "$DLTDUMP" "$out" > "$work/back.txt" 2> /dev/null
            $PYTHON "$work/ref.py" compare "$expected/$f.txt" "$work/back.txt" dlt || { ok=1; echo "  (in $f's output)"; }
          fi
        elif [ -e "$out" ]; then
          ok=1; echo "  $f passes nothing alone, yet $out was written"
        fi
      done ;;
  esac
  check "$name" $ok
}

start=$SECONDS
for set in one several; do
  if [ $set = one ]; then inputs=("${one[@]}"); else inputs=("${several[@]}"); fi
  refs=()
  for f in "${inputs[@]}"; do refs+=("$work/ref/$f.txt"); done
  for context in none A B AB; do
    ctx=()
    case $context in A) ctx=(-A 4) ;; B) ctx=(-B 3) ;; AB) ctx=(-A 2 -B 5) ;; esac
    after=0 before=0
    case $context in A) after=4 ;; B) before=3 ;; AB) after=2 before=5 ;; esac
    $PYTHON "$work/ref.py" expect "$work/exp_combined" $after $before combined "${refs[@]}"
    mkdir -p "$work/exp_per_input" && rm -f "$work/exp_per_input"/*
    $PYTHON "$work/ref.py" expect "$work/exp_per_input" $after $before per-input "${refs[@]}"
    for kind in console text dlt pcapng file file_dlt; do
      expected=$work/exp_combined
      [ ${kind%_dlt} = file ] && expected=$work/exp_per_input
      for threads in 1 2; do
        run_cell "$set input(s), $kind output, context $context, $threads thread(s)" "$expected" $kind \
          --appid=RARE "${ctx[@]}" --threads=$threads -- "${inputs[@]}"
      done
    done
  done
done

# A missing input among several: the others' lines alone on standard output, one line on
# standard error naming it, exit 4; alone: nothing on standard output, exit 3.
"$DLTDUMP" "$work/ends.dlt" "$work/missing.dlt" "$work/starts.dlt" > "$work/stdout" 2> "$work/stderr"
rc=$?
cat "$work/ref/ends.dlt.txt" "$work/ref/starts.dlt.txt" | cmp -s - "$work/stdout"
check "a missing input among several: standard output holds only the others' lines" $?
[ $rc -eq 4 ] && [ "$(wc -l < "$work/stderr")" -eq 1 ] && grep -q missing.dlt "$work/stderr"
check "a missing input among several: exit 4 (got $rc), one line on stderr naming it" $?
"$DLTDUMP" "$work/missing.dlt" > "$work/stdout" 2> "$work/stderr"
rc=$?
[ $rc -eq 3 ] && [ ! -s "$work/stdout" ] && [ "$(wc -l < "$work/stderr")" -eq 1 ]
check "a missing input alone: exit 3 (got $rc), nothing on stdout, one line on stderr" $?

echo "matrix: $pass passed, $fails failed ($((SECONDS - start)) s for the matrix)"
[ "$fails" -eq 0 ]
