# Sourced by the bench scripts. median "COMMAND": the median wall time in seconds of
# COMMAND (run by bash, output discarded) over $runs runs, after one warm-up run.
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
