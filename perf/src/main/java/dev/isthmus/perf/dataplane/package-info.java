/**
 * Dataplane benchmarks: {@link dev.isthmus.perf.dataplane.ForwardBench} (Isthmus's side of {@code bench forward},
 * run beside dpdk-testpmd by {@code perf/scripts/bench-forward.sh}) and {@link dev.isthmus.perf.dataplane.RingBenchmark}
 * (the Java ring against DPDK's rte_ring and JCTools' queues, {@code bench ring}).
 */
package dev.isthmus.perf.dataplane;
