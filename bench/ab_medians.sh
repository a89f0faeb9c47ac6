#!/bin/bash
# Two binaries side by side: runs OLD and NEW alternately nine times each with the same
# arguments (output to /dev/null) and prints the medians of their wall times and the ratio.
# Usage: bench/ab_medians.sh OLD NEW ARGS...
old=$1 new=$2; shift 2
to=(); tn=()
for i in $(seq 1 9); do
  s=$(date +%s.%N); $old "$@" > /dev/null 2>&1; e=$(date +%s.%N); to+=($(echo "$e - $s" | bc))
  s=$(date +%s.%N); $new "$@" > /dev/null 2>&1; e=$(date +%s.%N); tn+=($(echo "$e - $s" | bc))
done
mo=$(printf '%s\n' "${to[@]}" | sort -n | sed -n 5p); mn=$(printf '%s\n' "${tn[@]}" | sort -n | sed -n 5p)
echo "old $mo new $mn ratio $(echo "scale=3; $mn / $mo" | bc)"
