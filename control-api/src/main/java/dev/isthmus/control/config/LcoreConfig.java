package dev.isthmus.control.config;

import java.util.List;

/**
 * The CPU cores DPDK runs on.
 *
 * @param main the main lcore, which runs the control plane and never polls
 * @param workers the lcores that each poll their own queue of every port, in order
 */
public record LcoreConfig(int main, List<Integer> workers) {

    public LcoreConfig {
        workers = List.copyOf(workers);
    }
}
