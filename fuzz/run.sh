#!/usr/bin/env bash
# Runs every fuzz target for N seconds, seeding each corpus from the generator.
# Usage: fuzz/run.sh BUILD_DIR SECONDS     (BUILD_DIR configured with DLTDUMP_FUZZ=ON)
set -eu
build=$1
seconds=$2
gen=$build/tools/dltgen
work=${FUZZ_WORK:-$build/fuzz-work}
mkdir -p "$work"
for f in file net ser; do
  mkdir -p "$work/corpus_$f"
  for s in 1 2 3 4 5 6; do
    "$gen" --format "$f" --count $((s * 3)) --seed "$s" --corrupt 20 --truncate -o "$work/raw"
    { printf "\\x$(printf %02x $((s * 17)))"; cat "$work/raw"; } > "$work/corpus_$f/seed$s"
  done
done
mkdir -p "$work/corpus_payload"
head -c 200 "$work/corpus_file/seed6" > "$work/corpus_payload/seed"
mkdir -p "$work/corpus_parallel"
cp "$work/corpus_file/"* "$work/corpus_parallel/"
for t in framer_file:file framer_net:net framer_ser:ser payload:payload parallel:parallel; do
  target=${t%%:*}
  corpus=${t##*:}
  echo "== fuzz_$target for ${seconds}s"
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=70000 -rss_limit_mb=2048 \
    -print_final_stats=1 "$work/corpus_$corpus" 2>&1 | grep -E "^stat::number_of_executed_units|^stat::peak_rss|ERROR|SUMMARY|Done"
done
