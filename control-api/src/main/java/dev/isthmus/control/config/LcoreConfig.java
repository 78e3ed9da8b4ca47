package dev.isthmus.control.config;

import java.util.List;

/**
 * The polling threads of the data plane.
 *
 * @param workers one entry per polling thread: the CPU it is pinned to, or -1 to leave it unpinned (a shared
 *                development machine). Each worker polls its own RX queue of every port and has its own TX queue
 *                on every port, so the number of workers is the number of queues per port.
 */
public record LcoreConfig(List<Integer> workers) {

    public LcoreConfig {
        workers = List.copyOf(workers);
    }
}
