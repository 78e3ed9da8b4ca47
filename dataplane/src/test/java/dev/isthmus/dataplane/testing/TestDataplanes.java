package dev.isthmus.dataplane.testing;

import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Configurations and waiting helpers for dataplane tests (the process shares one EAL, see Eal.shared()). */
public final class TestDataplanes {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private TestDataplanes() {
    }

    /** A unique short name for DPDK objects of one test (pools and vdevs must not collide within the process). */
    public static String uniqueName(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }

    /** One unpinned lcore polling queue 0 of every port. */
    public static DataplaneConfig oneLcore(String name, List<PortConfig> ports) {
        List<QueueRef> queues = new ArrayList<>();
        for (PortConfig port : ports) {
            queues.add(new QueueRef(port.name(), 0));
        }
        return DataplaneConfig.of(name, EalConfig.virtual(), MempoolConfig.of(8191), ports,
                List.of(new LcoreConfig(-1, queues)));
    }

    /** Waits up to {@code millis} for a condition (tests observe another thread; no timing is asserted). */
    public static boolean await(BooleanSupplier condition, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
