/**
 * {@code ./isthmus ndr}: the RFC 2544 §26.1 throughput test as FD.io CSIT runs it — the no-drop rate (NDR, zero
 * loss) and the partial-drop rate (PDR, loss ratio at most a set goal) found in one search, short trials first
 * (the multiple-loss-ratio search, MLRsearch), then latency at fractions of the NDR, and an SVG plot. The search
 * ({@link dev.isthmus.perf.gen.ndr.NdrSearch}) knows nothing of DPDK: it calls a
 * {@link dev.isthmus.perf.gen.ndr.Trial}, which the command backs with the generator and tests with a simulated
 * device.
 */
package dev.isthmus.perf.gen.ndr;
