package dev.isthmus.dataplane.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One poll-mode worker: a platform thread pinned to {@code cpu} that polls {@code rxQueues} in turn.
 *
 * @param cpu      the CPU to pin the thread to, or -1 to leave it unpinned (tests on shared machines)
 * @param rxQueues the RX queues this worker alone polls; may be empty for a worker fed only by rings
 */
public record LcoreConfig(int cpu, List<QueueRef> rxQueues) {

    public LcoreConfig {
        Objects.requireNonNull(rxQueues, "lcore " + cpu + ": rxQueues is missing");
        rxQueues = List.copyOf(rxQueues);
        if (cpu < -1) {
            throw new IllegalArgumentException("lcore cpu " + cpu + ": must be a CPU number, or -1 for unpinned");
        }
        if (new HashSet<>(rxQueues).size() != rxQueues.size()) {
            throw new IllegalArgumentException("lcore on cpu " + cpu + ": polls a queue twice: " + rxQueues);
        }
    }
}
