/**
 * {@code ./isthmus gen}: a stateless DPDK traffic generator. A {@link dev.isthmus.perf.gen.Generator} opens a
 * profile's ports through the data plane's port setup and runs a TX lcore ({@link dev.isthmus.perf.gen.TxLoop}:
 * paced bursts of prebuilt templates, fields written into the copy) and an RX lcore
 * ({@link dev.isthmus.perf.gen.RxLoop}: {@link dev.isthmus.perf.gen.Signature}s and DNS responses matched to their
 * streams, latency into HdrHistograms). Neither lcore allocates per packet; per-stream counters are single-writer
 * and read by the reporting thread.
 */
package dev.isthmus.perf.gen;
