/**
 * Poll-mode workers: one platform thread per lcore ({@link dev.isthmus.dataplane.worker.PollWorker}), registered
 * with DPDK and pinned, running receive → pipeline → transmit over its inputs without locks, allocation or system
 * calls, with an l2fwd-style timed drain of partial TX bursts. Verdicts are carried out per burst by
 * {@link dev.isthmus.dataplane.worker.VerdictDispatcher}.
 */
package dev.isthmus.dataplane.worker;
