# Sourced by the bench scripts (after they set $runs, or before calling dlt_bench_args).
#   median "COMMAND"  the median wall time in seconds of COMMAND (run by bash, output
#                     discarded) over $runs runs, after one warm-up run;
#   medians "CMD1" "CMD2" …  the same for several commands run in turn (CMD1, CMD2, …,
#                     CMD1, …), one median per line: on a shared machine whose speed
#                     drifts, commands timed side by side drift together; each round's
#                     times go to $work/rounds, one line per round;
#   round_ratio I J   the median over the last medians call's rounds of CMDJ's time over
#                     CMDI's (1-based): each ratio from two runs seconds apart;
#   settle FILE…      puts files in the page-cache state of a first read from disk (below);
#   output_dir A B    sets $out, where a bench's outputs go (below);
#   machine_line      prints the machine the figures come from.
work=${work:-${BENCH_WORK:-/tmp/dltdump-bench}}
mkdir -p "$work"

# dlt_bench_args [BUILD_DIR] [SIZE_MB] [PEER_SIZE_MB] [RUNS]: the arguments of the scripts
# that time DLT files (build, size_mb, peer_mb, runs, and the dltdump and dltgen paths).
dlt_bench_args() {
  build=${1:-build}
  size_mb=${2:-1024}
  peer_mb=${3:-100}
  runs=${4:-5}
  dltdump=$build/src/dltdump
  gen=$build/tools/dltgen
}
# rare_corpus: makes (once) the filter and output benches' corpus — the verbose corpus with
# every 100th message of application RARE — as $big (size_mb) and $small (peer_mb), and the
# dlt-convert filter file $work/rare.filter for that application.
rare_corpus() {
  big=$work/rare-${size_mb}M.dlt
  small=$work/rare-${peer_mb}M.dlt
  [ -f "$big" ] || "$gen" --profile verbose --size "${size_mb}M" --seed 1 --rare-app RARE -o "$big"
  [ -f "$small" ] || "$gen" --profile verbose --size "${peer_mb}M" --seed 1 --rare-app RARE -o "$small"
  printf 'RARE ----\n' > "$work/rare.filter"
}
# output_dir SHM_NAME WORK_NAME: sets $out, the folder the outputs go to — $OUT_DIR if set,
# else /dev/shm/SHM_NAME when it has room for twice the corpus (size_mb) and 512 MiB, so
# that disk write-back of one run does not slow the next, else $work/WORK_NAME — made now
# and removed at exit.
output_dir() {
  out=${OUT_DIR:-}
  if [ -z "$out" ]; then
    local free_kb
    free_kb=$(df -k --output=avail /dev/shm 2> /dev/null | tail -1 || echo 0)
    if [ "${free_kb:-0}" -gt $(( (size_mb * 2 + 512) * 1024 )) ]; then out=/dev/shm/$1; else out=$work/$2; fi
  fi
  mkdir -p "$out"
  trap 'rm -rf "$out"' EXIT
}
round_ratio() {
  awk -v i="$1" -v j="$2" '{print $j / $i}' "$work/rounds" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}

median() {
  local times=()
  bash -c "$1" > /dev/null 2>&1 || true
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s.%N)
    bash -c "$1" > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

medians() {
  local n=$# i r s e line
  local -a times
  for c in "$@"; do bash -c "$c" > /dev/null 2>&1 || true; done
  : > "$work/rounds"
  for r in $(seq "$runs"); do
    i=0
    line=
    for c in "$@"; do
      s=$(date +%s.%N)
      bash -c "$c" > /dev/null 2>&1 || true
      e=$(date +%s.%N)
      times[i * runs + r - 1]=$(echo "$e - $s" | bc -l)
      line+=" ${times[i * runs + r - 1]}"
      i=$((i + 1))
    done
    echo "$line" >> "$work/rounds"
  done
  for i in $(seq 0 $((n - 1))); do
    printf '%s\n' "${times[@]:i * runs:runs}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  done
}

# settle FILE…: leaves each file in the page cache as a reader finds it after a first read
# from disk. How a file was written decides the size of its cached pages: writes of
# unaligned pieces (PcapngWriter writes at block boundaries) leave 4 KiB pages, large
# aligned writes (dltgen's) and readahead leave large ones, and mapping 4 KiB pages costs
# a page fault per 64 KiB: unsettled, mapping the 180 MB capture took 3 100 faults and the
# .dlt file 600. Dropping a file's pages (dd's documented nocache idiom) and reading it
# once puts every file compared in the same state, whoever wrote it.
settle() {
  local f
  for f in "$@"; do
    dd if="$f" iflag=nocache count=0 status=none
    cat "$f" > /dev/null
  done
}
