# Sourced by the shell tests that act on a running dltdump at a chosen moment (a signal, an
# input cut while read): the functions that wait for that moment. A fixed sleep after the
# launch is not one: on a loaded machine, or under a sanitizer, exec and loading alone can
# take longer, and the test then checks nothing it means to (a signal before the handlers
# exist kills the process silently; an input cut before it was opened is just a short file).

# catches_stop_signals PID: the process has handlers for SIGINT and SIGTERM (signals 2 and 15:
# bits 1 and 14 of the SigCgt mask in /proc/PID/status); false once it has ended.
catches_stop_signals() {
  local mask
  mask=$(awk '/^SigCgt:/ { print $2 }' /proc/"$1"/status 2> /dev/null) || return 1
  [ -n "$mask" ] && [ $((16#$mask & 0x4002)) -eq $((0x4002)) ]
}

# ended PID: the process has ended (gone, or a zombie not yet waited for). Its status
# file failing to read is no end (a test killed a run at 2 ms, during its exec, as if it had
# ended: it died of the signal's default action, silently).
ended() {
  [ ! -e /proc/"$1" ] || grep -qs '^State:[[:space:]]*[ZX]' /proc/"$1"/status
}

# catches_stop_signals_or_ended PID: either; what to wait for before a signal to a run that
# may be quick.
catches_stop_signals_or_ended() {
  catches_stop_signals "$1" || ended "$1"
}

# opened PID FILE: the process PID has FILE open; PID "any": some process has. (`-ef`, a
# builtin: a readlink process per descriptor made one look at every process take seconds.)
opened() {
  local fd
  local fds=(/proc/"$1"/fd/*)
  [ "$1" = any ] && fds=(/proc/[0-9]*/fd/*)
  for fd in "${fds[@]}"; do
    [ "$fd" -ef "$2" ] && return 0
  done
  return 1
}

# opener FILE: prints the id of a process that has FILE open; false if none has.
opener() {
  local fd
  for fd in /proc/[0-9]*/fd/*; do
    if [ "$fd" -ef "$1" ]; then
      fd=${fd#/proc/}
      echo "${fd%%/*}"
      return 0
    fi
  done
  return 1
}

# blocked_writing_pipe PID: a thread of the process waits in a write to a full pipe or FIFO
# (its wchan, pipe_write or anon_pipe_write as kernels name it).
blocked_writing_pipe() {
  grep -qs "pipe_write" /proc/"$1"/task/*/wchan
}

# started PATTERN: prints the id of the newest process whose command line matches PATTERN
# (pgrep -f), waiting up to 30 s for one to exist; prints nothing if none came.
started() {
  local i
  for i in $(seq 1 3000); do
    pgrep -n -f "$1" && return 0
    sleep 0.01
  done
  return 1
}

# wait_for SECONDS COMMAND...: runs COMMAND every 5 ms until it succeeds (returns 0), or
# returns 1 after SECONDS — the caller goes on then, and its checks say what was missed.
wait_for() {
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.005
  done
}
