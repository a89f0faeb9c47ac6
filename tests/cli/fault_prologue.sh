# Sourced by the shell tests that make an output fail (write_faults_test.sh,
# capture_write_faults_test.sh) with their arguments DLTDUMP DLTGEN CAPGEN: a scratch
# directory and a tmpfs mount point ($mnt, set by the test when it mounts one) removed at
# exit, and fail NAME, which counts a failure.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
export TZ=UTC
work=$(mktemp -d)
mnt=""
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
skipped=""
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }
