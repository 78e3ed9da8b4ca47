package dev.isthmus.dataplane.pipeline;

import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.nativebindings.Mempool;

/**
 * What a stage may know about the lcore it runs on, given to {@link PipelineFactory#create}.
 *
 * @param index    the lcore's position in the configuration; also its TX queue on every port
 * @param name     e.g. {@code lcore1}
 * @param lcores   how many lcores the dataplane has (e.g. to size per-worker structures)
 * @param ports    the ports, their numbers and addresses
 * @param mempool  the pool to allocate new mbufs from (replies that do not fit in place, flood copies)
 * @param counters this lcore's counters
 */
public record LcoreContext(int index, String name, int lcores, PortTable ports, Mempool mempool,
        LcoreCounters counters) {
}
