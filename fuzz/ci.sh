#!/usr/bin/env bash
# A short run of the end-to-end fuzz target for CI: builds fuzz_cli (clang, ASan + UBSan,
# in BUILD_DIR, default build-fuzz) and runs it SECONDS (default 60) from the seeds of
# fuzz/run.sh. Fails on any finding (crash, leak, UB, broken invariant); libFuzzer writes
# the input that broke it to ./crash-<sha1> (reproduce: BUILD_DIR/fuzz/fuzz_cli crash-…).
# Usage: fuzz/ci.sh [BUILD_DIR [SECONDS]]
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-fuzz}
seconds=${2:-60}
CXX=clang++ cmake -S "$here/.." -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDLTDUMP_FUZZ=ON \
  -DDLTDUMP_SANITIZE=ON -DBUILD_TESTING=OFF > /dev/null
cmake --build "$build" --target fuzz_cli dltgen capgen
FUZZ_TARGETS=cli:cli "$here/run.sh" "$build" "$seconds"
