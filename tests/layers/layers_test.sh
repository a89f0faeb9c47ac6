#!/usr/bin/env bash
# The layering of src/ is enforced (issue #20): an include that goes up or sideways fails
# the build, and scripts/check-layers.sh names it.
# Usage: layers_test.sh <source dir> <build dir>
set -uo pipefail
src=$1 build=$2
fail() { echo "FAIL: $*"; exit 1; }

# 1. The tree as it is passes the check.
"$src/scripts/check-layers.sh" "$src" || fail "check-layers.sh finds faults in the tree"

# 2. The build refuses upward and sideways includes, and accepts downward ones.
out=$(cmake --build "$build" --target layer_probe_downward 2>&1) || fail "a downward include does not build: $out"
for probe in upward:app/dump_app.hpp sideways:output/output.hpp; do
  name=${probe%%:*} header=${probe#*:}
  out=$(cmake --build "$build" --target "layer_probe_$name" 2>&1) && fail "the $name include of $header built"
  grep -q "$header: No such file" <<< "$out" || fail "the $name probe failed for another reason: $out"
done

# 3. The script names an upward, a sideways and a relative include in a copy of the tree.
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs" && cp -r "$src/src" "$tmp/src" && cp "$src/docs/architecture.md" "$tmp/docs/"
"$src/scripts/check-layers.sh" "$tmp" > /dev/null || fail "the copy of the tree is not clean"
printf '#include "cli/options.hpp"\n' >> "$tmp/src/util/byte_order.hpp"
printf '#include "output/output.hpp"\n' >> "$tmp/src/filter/filter.hpp"
printf '#include "../app/pipeline.hpp"\n' >> "$tmp/src/net/ipv4.hpp"
out=$("$src/scripts/check-layers.sh" "$tmp") && fail "check-layers.sh accepted bad includes"
for want in 'src/util/byte_order.hpp:[0-9]*: #include "cli/options.hpp": util may not include cli' \
            'src/filter/filter.hpp:[0-9]*: #include "output/output.hpp": filter may not include output' \
            'src/net/ipv4.hpp:[0-9]*: #include "../app/pipeline.hpp": name the folder'; do
  grep -q "$want" <<< "$out" || fail "check-layers.sh did not report: $want (it said: $out)"
done

# 4. A layer table in the docs that disagrees with the build is reported.
cp -r "$src/src/." "$tmp/src/"
sed -i -E 's/^(\| `filter` \|)[^|]*\|/\1 `dlt`, `output` |/' "$tmp/docs/architecture.md"
out=$("$src/scripts/check-layers.sh" "$tmp") && fail "check-layers.sh accepted a wrong layer table"
grep -q 'layer `filter` lists' <<< "$out" || fail "no report of the wrong layer table: $out"
echo "layers: enforced by the build and by check-layers.sh"
