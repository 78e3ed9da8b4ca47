package dev.isthmus.vswitch.learn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer ring of VTEP learning requests, each a primitive record (VNI, family,
 * outer source address) in three slots of one {@code long[]}: the producer is one lcore's poll loop, the consumer the
 * control thread. {@link #offer} takes no lock and allocates nothing; when the ring is full it refuses, and the
 * caller counts the loss (the sender's next packet asks again). Indices only grow; the producer publishes a record
 * with a release store of {@code tail} after writing its slots, the consumer frees slots with a release store of
 * {@code head} after reading them, and each side reads the other's index with an acquire load, so a record is never
 * read half written nor overwritten before it is read. The consumer may be any control thread as long as calls to
 * {@link #drain} are serialised (the vswitch drains under its control lock), which orders its plain reads of
 * {@code head}.
 */
public final class VtepLearnQueue {

    private static final int WORDS = 3;
    private static final long IPV6_FLAG = 1L << 32;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(VtepLearnQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(VtepLearnQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] slots;
    private final int capacity;
    private final int mask;
    /** Next record to read; written by the consumer only. */
    private long head;
    /** Next record to write; written by the producer only. */
    private long tail;
    /** The producer's last view of {@link #head}, so a ring with room costs no load of the consumer's index. */
    private long headSeen;

    /** @param capacity records the ring holds, a power of two */
    public VtepLearnQueue(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slots = new long[capacity * WORDS];
    }

    /**
     * Producer side: queues one request.
     *
     * @param vni the VNI of the packet
     * @param ipv6 whether the outer source is IPv6
     * @param high the first 64 bits of an IPv6 source; 0 for IPv4
     * @param low the last 64 bits of an IPv6 source, or the IPv4 source as an unsigned 32-bit value
     * @return false when the ring is full (nothing queued)
     */
    public boolean offer(int vni, boolean ipv6, long high, long low) {
        final long t = tail;
        if (t - headSeen >= capacity) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen >= capacity) {
                return false;
            }
        }
        final int at = (int) (t & mask) * WORDS;
        slots[at] = (vni & 0xFFFF_FFFFL) | (ipv6 ? IPV6_FLAG : 0);
        slots[at + 1] = high;
        slots[at + 2] = low;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /**
     * Consumer side: hands every queued request to {@code sink} and frees its slots.
     *
     * @param sink receives each request
     * @return how many requests were drained
     */
    public int drain(Sink sink) {
        final long available = (long) TAIL.getAcquire(this);
        long h = head;
        int drained = 0;
        while (h < available) {
            final int at = (int) (h & mask) * WORDS;
            final long word = slots[at];
            final long high = slots[at + 1];
            final long low = slots[at + 2];
            h++;
            // Free the slot before the sink runs: its values are copied, and the producer may go on meanwhile.
            HEAD.setRelease(this, h);
            sink.request((int) word, (word & IPV6_FLAG) != 0, high, low);
            drained++;
        }
        return drained;
    }

    /** @return the number of records the ring holds */
    public int capacity() {
        return capacity;
    }

    /** Receives drained requests. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param vni the VNI
         * @param ipv6 whether the source is IPv6
         * @param high first 64 bits of an IPv6 source, 0 for IPv4
         * @param low last 64 bits of an IPv6 source, or the IPv4 source
         */
        void request(int vni, boolean ipv6, long high, long low);
    }
}
