#!/usr/bin/env bash
# Builds the C side of the native-call benchmark into perf/target/native, against pkg-config libdpdk with the
# flags of the native-bindings shim: rx_free_bench (a standalone C program) and librx_free_loop.so (the same loop,
# called from inside the JMH run). Prints the directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/perf/src/main/c"
out="$root/perf/target/native"
mkdir -p "$out"
# shellcheck disable=SC2046
cflags=(-O3 -g -Wall -Wextra -Werror $(pkg-config --cflags libdpdk))
# shellcheck disable=SC2046
libs=($(pkg-config --libs libdpdk) -Wl,--no-as-needed -lrte_bus_vdev)
if [ ! -x "$out/rx_free_bench" ] || [ "$src/rx_free_bench.c" -nt "$out/rx_free_bench" ]; then
  gcc "${cflags[@]}" -o "$out/rx_free_bench" "$src/rx_free_bench.c" "${libs[@]}"
fi
if [ ! -f "$out/librx_free_loop.so" ] || [ "$src/rx_free_loop.c" -nt "$out/librx_free_loop.so" ]; then
  gcc "${cflags[@]}" -fPIC -shared -o "$out/librx_free_loop.so" "$src/rx_free_loop.c" "${libs[@]}"
fi
echo "$out"
