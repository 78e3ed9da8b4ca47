/**
 * The vswitch's benchmarks: {@link dev.isthmus.perf.vswitch.VxlanBench}, Isthmus's side of
 * {@code ./isthmus bench vxlan} (perf/scripts/bench-vxlan.sh), which runs dpdk-testpmd macswap on the same pcaps;
 * and {@link dev.isthmus.perf.vswitch.VxlanStageBench}, the vswitch stage alone on the same frames, without ports,
 * for A/B comparisons and profiling of the data path.
 */
package dev.isthmus.perf.vswitch;
