/**
 * The vswitch's benchmark: {@link dev.isthmus.perf.vswitch.VxlanBench}, Isthmus's side of
 * {@code ./isthmus bench vxlan} (perf/scripts/bench-vxlan.sh), which runs dpdk-testpmd macswap on the same pcaps.
 */
package dev.isthmus.perf.vswitch;
