package dev.isthmus.dataplane.config;

import java.util.Objects;

/**
 * One RX queue of a port, by the port's configured name.
 *
 * @param port  a {@link PortConfig#name()}
 * @param queue the queue index, {@code 0 .. rxQueues-1}
 */
public record QueueRef(String port, int queue) {

    public QueueRef {
        Objects.requireNonNull(port, "queue reference: port name is missing");
        if (queue < 0) {
            throw new IllegalArgumentException("queue reference " + port + ":" + queue + ": queue must be >= 0");
        }
    }

    /** Parses {@code port:queue} (or just {@code port}, queue 0). */
    public static QueueRef parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new QueueRef(text.trim(), 0);
        }
        try {
            return new QueueRef(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("queue reference '" + text + "': expected port:queue, e.g. uplink:0");
        }
    }

    @Override
    public String toString() {
        return port + ":" + queue;
    }
}
