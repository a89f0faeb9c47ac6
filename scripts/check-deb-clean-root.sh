#!/usr/bin/env bash
# Installs the Debian package in a clean Debian 12 root made by debootstrap (minbase) and
# runs it there: `dltdump --version`, `man -w dltdump`, a sample decoded, pkg-config and
# the library's CMake package found. Needs root, debootstrap and a Debian mirror (network);
# takes a few minutes, so it is not part of `make test` (whose deb_package test installs
# the package on the CI machine itself).
# Usage: scripts/check-deb-clean-root.sh PACKAGE.deb [ROOT_DIR] [MIRROR]
set -euo pipefail
deb=$(realpath "$1")
root=${2:-/tmp/dltdump-clean-root}
mirror=${3:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "check-deb-clean-root.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap > /dev/null || { echo "check-deb-clean-root.sh: debootstrap missing (Debian: debootstrap)" >&2; exit 2; }

if [ ! -x "$root/usr/bin/apt-get" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { echo "check-deb-clean-root.sh: debootstrap failed, see $root.debootstrap.log" >&2; exit 1; }
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
sample=$(dirname "$(realpath "$0")")/../examples/sample.dlt
cp "$sample" "$root/tmp/sample.dlt"
mounted=()
cleanup() { for m in "${mounted[@]}"; do umount "$m" || true; done; }
trap cleanup EXIT
mount -t proc proc "$root/proc" && mounted+=("$root/proc")

# The first lines a command prints in the root (the whole output read: no SIGPIPE).
first_lines() { in_root "$@" > "$root/tmp/out.txt"; head -n 2 "$root/tmp/out.txt"; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -qq
# man-db to try the installed page; a compiler, cmake and pkg-config to build the library's
# examples against the installed package.
in_root apt-get install -y -qq --no-install-recommends man-db pkg-config cmake make g++ > /dev/null 2>&1
echo "== apt-get install ./$(basename "$deb") in a clean Debian 12 root ($root)"
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" | tail -n 3
echo "== dltdump --version";          in_root dltdump --version
echo "== man -w dltdump";             in_root man -w dltdump
echo "== dltdump /tmp/sample.dlt";    first_lines dltdump /tmp/sample.dlt
echo "== pkg-config dltdump";        in_root pkg-config --modversion dltdump; in_root pkg-config --cflags --libs dltdump
echo "== examples/library built against the installed package (find_package and pkg-config)"
rm -rf "$root/tmp/examples" && cp -r "$(dirname "$sample")/library" "$root/tmp/examples"
in_root cmake -S /tmp/examples -B /tmp/examples/build > /dev/null
in_root cmake --build /tmp/examples/build > /dev/null
first_lines /tmp/examples/build/read_log /tmp/sample.dlt
in_root sh -c 'cc -o /tmp/examples/read_log_pc /tmp/examples/read_log.c $(pkg-config --cflags --libs dltdump)'
first_lines /tmp/examples/read_log_pc /tmp/sample.dlt
if in_root sh -c 'ls /usr/lib/python3/dist-packages/dltdump/__init__.py' > /dev/null 2>&1; then
  echo "== the Python module: import dltdump; dltdump.open(sample)"
  in_root python3 -c 'import dltdump; print(sum(1 for _ in dltdump.open("/tmp/sample.dlt")), "messages")'
fi
echo "== dpkg --purge dltdump";       in_root dpkg --purge dltdump | tail -n 1
echo "check-deb-clean-root.sh: the package installs, runs and is removed in a clean root"
