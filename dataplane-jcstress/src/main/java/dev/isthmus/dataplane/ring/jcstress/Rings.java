package dev.isthmus.dataplane.ring.jcstress;

import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.dataplane.ring.RingSync;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Recycled rings for the tests' states. jcstress makes a state per trial, millions of them; a new {@link MbufRing}
 * each time would mean a shared arena each, whose close is a handshake with every thread of the JVM, and the run
 * would measure that instead of the ring. A state takes a ring here and its {@code @Arbiter}, once it has drained
 * it, gives it back: the ring is then realigned to slot 0 and every slot zeroed (a full cycle of zeros through it),
 * so the next state starts from an empty ring whose unpublished slots read 0, as a new ring's do.
 */
final class Rings {
    private static final Map<String, Queue<MbufRing>> FREE = new ConcurrentHashMap<>();

    private Rings() {
    }

    /** An empty ring with its indices at slot 0 and every slot 0. */
    static MbufRing take(int capacity, RingSync producers, RingSync consumers) {
        MbufRing ring = free(capacity, producers, consumers).poll();
        return ring != null ? ring : new MbufRing("jcstress", capacity, producers, consumers);
    }

    /**
     * Gives back a ring the caller has drained.
     *
     * @param moved how many elements went through it since {@link #take} (its indices moved by that much)
     */
    static void recycle(MbufRing ring, long moved, RingSync producers, RingSync consumers) {
        final int capacity = ring.capacity();
        final long[] zeros = new long[capacity];
        final int realign = (int) ((capacity - moved % capacity) % capacity);
        if (ring.enqueueBulk(zeros, 0, realign) != realign || ring.dequeueBulk(zeros, 0, realign) != realign
                || ring.enqueueBulk(zeros, 0, capacity) != capacity
                || ring.dequeueBulk(zeros, 0, capacity) != capacity) {
            throw new IllegalStateException(ring + " was not empty when recycled");
        }
        free(capacity, producers, consumers).add(ring);
    }

    private static Queue<MbufRing> free(int capacity, RingSync producers, RingSync consumers) {
        return FREE.computeIfAbsent(capacity + "/" + producers + "/" + consumers, k -> new ConcurrentLinkedQueue<>());
    }
}
