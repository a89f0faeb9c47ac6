# Sourced by the bench scripts after they set $runs and $work.
#   median "COMMAND"  the median wall time in seconds of COMMAND (run by bash, output
#                     discarded) over $runs runs, after one warm-up run;
#   machine_line      prints the machine the figures come from.
mkdir -p "$work"
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
