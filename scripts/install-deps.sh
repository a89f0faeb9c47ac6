#!/usr/bin/env bash
# Installs the Debian packages dltdump needs to build, test, fuzz and benchmark.
# Packages already present are not touched; apt-get runs only when something is missing.
# Usage: scripts/install-deps.sh            (as root, or with sudo available)
set -eu
packages=(
  cmake ninja-build g++ make          # build
  pkg-config libpcre2-dev             # regular expressions (PCRE2 with its JIT)
  libpugixml-dev                      # FIBEX catalogues (XML)
  zlib1g-dev libzstd-dev liblzma-dev  # compressed inputs and outputs: gzip, zstd, xz (src/compress/)
  libbz2-dev libdeflate-dev           #   bzip2 inputs; gzip outputs (libdeflate)
  libarchive-dev                      #   archived inputs: tar and zip members
  gzip zstd xz-utils bzip2 zip        # the same formats made and read back by their tools (tests, bench)
  libgtest-dev libbenchmark-dev       # unit tests, micro-benchmarks
  clang libclang-rt-14-dev            # libFuzzer targets
  clang-format clang-tidy             # house style: make format, scripts/check-format.sh, check-tidy.sh
  dlt-tools dlt-viewer                # interop peers: dlt-convert, dlt-receive, dlt-viewer
  dlt-daemon libdlt-examples          # live TCP peer: dlt-daemon, dlt-example-user
  iproute2                            # live UDP multicast test in a private network namespace
  tshark wireshark-common             # interop peers for captures: tshark, capinfos, editcap, mergecap
  bc time                             # bench/compare.sh arithmetic and peak memory
  libxml2-utils                       # bench/compare_fibex.sh: xmllint --stream, the FIBEX load peer
  jq python3 python3-pandas           # JSON Lines and CSV read back (tests/cli/records_test.py),
  python3-jsonschema                  #   records checked against docs/json-records.schema.json
  pybind11-dev python3-dev            # the Python module (python/), for Debian's /usr/bin/python3
  python3-numpy python3-pytest        #   its columns and its tests (CTest python_module)
  python3-dask python3-distributed    #   dltdump.dask on a LocalCluster (CTest python_dask)
  man-db groff-base                   # the man page rendered (tests/cli/install_docs_test.py)
  bash zsh fish tmux                  #   and the completions tried in each shell (zsh in tmux)
  dpkg-dev lintian                    # the Debian package: cpack's dpkg-shlibdeps, lintian (tests/packaging)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
