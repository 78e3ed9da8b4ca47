/**
 * Cost of crossing from Java into DPDK: one burst receive plus bulk free through the C shim, with and without
 * {@code Linker.Option.critical}, beside the same loop in C ({@code perf/src/main/c/rx_free_bench.c}), all run by
 * {@code perf/scripts/bench-native.sh}.
 */
package dev.isthmus.perf.nativecall;
