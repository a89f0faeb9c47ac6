# Sourced by the tests that run a private COVESA dlt-daemon (dlt_daemon_test.sh,
# dlt_daemon_capture_test.sh): a work directory removed at exit with every process listed
# in `pids` ended, ok/fail counting into `fails`, and start_private_daemon ECU_ID, which
# starts dlt-daemon with its own configuration, pipe directory and control socket on a
# free loopback port (never 3490, which a system daemon may hold) and sets `port` and
# `daemon` (exit 1 when it does not start).
export TZ=UTC
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
  wait 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

start_private_daemon() {
  cat > "$work/dlt.conf" << CONF
SendContextRegistration = 0
ECUId = $1
SharedMemorySize = 100000
LoggingMode = 0
LoggingLevel = 6
RingbufferMinSize = 500000
RingbufferMaxSize = 10000000
RingbufferStepSize = 500000
ControlSocketPath = $work/ctrl.sock
CONF
  # A free port: the daemon fails to start on a taken one, so try a few.
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 30000))
    dlt-daemon -c "$work/dlt.conf" -t "$work" -p "$port" > "$work/daemon.log" 2>&1 &
    daemon=$!
    sleep 1
    kill -0 "$daemon" 2> /dev/null && break
  done
  pids+=("$daemon")
  kill -0 "$daemon" 2> /dev/null || { echo "FAIL: dlt-daemon did not start"; cat "$work/daemon.log"; exit 1; }
}
