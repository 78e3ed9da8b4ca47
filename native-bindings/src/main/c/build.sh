#!/usr/bin/env bash
# Builds libisthmus_shim.so against the machine's DPDK (pkg-config libdpdk) into the folder given as $1.
# Called by the Maven build (native-bindings/pom.xml); rebuilds only when a source is newer than the library.
set -euo pipefail
out_dir=${1:?usage: build.sh OUTPUT_DIR}
src_dir=$(cd "$(dirname "$0")" && pwd)
lib="$out_dir/libisthmus_shim.so"
if ! pkg-config --exists libdpdk; then
  echo "native-bindings: pkg-config cannot find libdpdk; install DPDK 22.11 (Debian: apt-get install libdpdk-dev)" >&2
  exit 1
fi
mkdir -p "$out_dir"
shopt -s nullglob
sources=("$src_dir"/*.c)
headers=("$src_dir"/*.h)
if [ ${#sources[@]} -eq 0 ]; then
  echo "native-bindings: no C sources in $src_dir" >&2
  exit 1
fi
if [ -f "$lib" ]; then
  stale=0
  for f in "${sources[@]}" "${headers[@]}" "$0"; do
    [ "$f" -nt "$lib" ] && stale=1
  done
  [ $stale -eq 0 ] && exit 0
fi
# pkg-config supplies -march and the include of rte_config.h that DPDK headers expect.
# The jextract bindings (dev.isthmus.nativebindings.generated) find DPDK's exported functions through the shim's
# own dependencies (SymbolLookup.loaderLookup), so the libraries they call are linked even where the shim itself
# does not call them: --no-as-needed keeps them, undoing the --as-needed of pkg-config's flags.
# shellcheck disable=SC2046
gcc -O3 -g -fPIC -shared -Wall -Wextra -Werror \
  $(pkg-config --cflags libdpdk) \
  -o "$lib.tmp" "${sources[@]}" \
  $(pkg-config --libs libdpdk) \
  -Wl,--no-as-needed -lrte_eal -lrte_ethdev -lrte_mempool -lrte_mbuf -lrte_ring -lrte_bus_vdev -lrte_net_ring
mv "$lib.tmp" "$lib"
echo "native-bindings: built $lib"
