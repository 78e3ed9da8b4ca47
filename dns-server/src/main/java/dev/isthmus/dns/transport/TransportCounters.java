package dev.isthmus.dns.transport;

import java.util.concurrent.atomic.LongAdder;

/** What the kernel-socket transport has done, summed across its threads. */
public final class TransportCounters {
    final LongAdder udpAnswered = new LongAdder();
    final LongAdder tcpAnswered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder tcpConnections = new LongAdder();

    public long udpAnswered() {
        return udpAnswered.sum();
    }

    public long tcpAnswered() {
        return tcpAnswered.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long tcpConnections() {
        return tcpConnections.sum();
    }
}
