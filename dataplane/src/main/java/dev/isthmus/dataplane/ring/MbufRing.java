package dev.isthmus.dataplane.ring;

import dev.isthmus.nativebindings.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A bounded lock-free FIFO of mbuf pointers ({@code long}s, never 0) in off-heap slots, following DPDK's rte_ring
 * head/tail protocol (lib/ring/rte_ring_c11_pvt.h, "Ring Library" in the DPDK programmer's guide):
 *
 * <ol>
 *   <li>An enqueue reserves slots by moving {@code producerHead} forward — a plain store for a single producer, a
 *       compare-and-set for several — after checking the free space against {@code consumerTail}.</li>
 *   <li>It writes the mbuf pointers into the reserved slots with plain stores.</li>
 *   <li>It publishes them by a store-release of {@code producerTail}; with several producers it first waits until
 *       {@code producerTail} reaches its own reservation, so the tail moves in reservation order and never exposes a
 *       slot another producer is still writing.</li>
 * </ol>
 *
 * Dequeue is the mirror image on {@code consumerHead}/{@code consumerTail}. No locks; a waiting producer or consumer
 * only spins on another one that has reserved and not yet published (as in rte_ring, a thread descheduled between
 * reservation and publication delays the others of its side, never the opposite side).
 *
 * <p>Indices are 64-bit and never wrap in practice, so all {@code capacity} slots are usable (rte_ring keeps one
 * free unless RING_F_EXACT_SZ). <em>Bulk</em> operations move all {@code n} or nothing; <em>burst</em> operations
 * move as many as fit. A full or empty ring returns 0, never throws. Each side is {@link RingSync#SINGLE} (one thread
 * only — the caller's promise) or {@link RingSync#MULTI}.
 */
public final class MbufRing extends MbufRingPad4 implements AutoCloseable {

    /** What {@link #poll()} returns from an empty ring (mbuf pointers are never 0). */
    public static final long EMPTY = 0L;

    /** Ring slots are read by absolute address through the one whole-address-space segment. */
    private static final MemorySegment ALL = NativeMemory.ALL;
    private static final ValueLayout.OfLong SLOT = ValueLayout.JAVA_LONG;
    private static final int SPINS_BEFORE_YIELD = 256;

    private final String name;
    private final int capacity;
    private final long mask;
    private final long slots;
    private final boolean singleProducer;
    private final boolean singleConsumer;
    private final Arena arena;

    /**
     * @param name      for counters and messages
     * @param capacity  a power of two, at least 2
     * @param producers whether one or many threads enqueue
     * @param consumers whether one or many threads dequeue
     */
    public MbufRing(String name, int capacity, RingSync producers, RingSync consumers) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring '" + name + "': capacity must be a power of two >= 2, got " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.singleProducer = producers == RingSync.SINGLE;
        this.singleConsumer = consumers == RingSync.SINGLE;
        this.arena = Arena.ofShared();
        this.slots = arena.allocate((long) capacity * Long.BYTES, 128).address();
    }

    public String name() {
        return name;
    }

    public int capacity() {
        return capacity;
    }

    /** Entries published and not yet consumed; a snapshot that may be stale by the time it returns. */
    public int size() {
        long consumed = laConsumerTail();
        long produced = laProducerTail();
        return (int) Math.max(0, Math.min(capacity, produced - consumed));
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Enqueues all {@code n} pointers from {@code src[offset..]} or none; returns {@code n} or 0. */
    public int enqueueBulk(long[] src, int offset, int n) {
        return enqueue(src, offset, n, true);
    }

    /** Enqueues as many of the {@code n} pointers from {@code src[offset..]} as fit; returns how many. */
    public int enqueueBurst(long[] src, int offset, int n) {
        return enqueue(src, offset, n, false);
    }

    /** Enqueues one pointer; false when the ring is full. */
    public boolean offer(long mbuf) {
        final long capacity = this.capacity;
        long head;
        if (singleProducer) {
            head = lpProducerHead();
            // Acquire: the consumer's slot reads below consumerTail happen before we overwrite those slots.
            if (head - laConsumerTail() >= capacity) {
                return false;
            }
            spProducerHead(head + 1);
        } else {
            do {
                head = lvProducerHead();
                if (head - laConsumerTail() >= capacity) {
                    return false;
                }
            } while (!casProducerHead(head, head + 1));
        }
        ALL.set(SLOT, slots + ((head & mask) << 3), mbuf);
        publishProducer(head, head + 1);
        return true;
    }

    /** Dequeues exactly {@code n} pointers into {@code dst[offset..]} or none; returns {@code n} or 0. */
    public int dequeueBulk(long[] dst, int offset, int n) {
        return dequeue(dst, offset, n, true);
    }

    /** Dequeues up to {@code n} pointers into {@code dst[offset..]}; returns how many. */
    public int dequeueBurst(long[] dst, int offset, int n) {
        return dequeue(dst, offset, n, false);
    }

    /** Dequeues one pointer, or returns {@link #EMPTY}. */
    public long poll() {
        long head;
        if (singleConsumer) {
            head = lpConsumerHead();
            // Acquire: the producer's slot writes below producerTail are visible to us.
            if (laProducerTail() == head) {
                return EMPTY;
            }
            spConsumerHead(head + 1);
        } else {
            do {
                head = lvConsumerHead();
                if (laProducerTail() == head) {
                    return EMPTY;
                }
            } while (!casConsumerHead(head, head + 1));
        }
        long mbuf = ALL.get(SLOT, slots + ((head & mask) << 3));
        publishConsumer(head, head + 1);
        return mbuf;
    }

    private int enqueue(long[] src, int offset, int n, boolean bulk) {
        final long capacity = this.capacity;
        long head;
        int count;
        if (singleProducer) {
            head = lpProducerHead();
            // Acquire: the consumer's slot reads below consumerTail happen before we overwrite those slots.
            long free = capacity + laConsumerTail() - head;
            count = free >= n ? n : (bulk ? 0 : (int) free);
            if (count == 0) {
                return 0;
            }
            spProducerHead(head + count);
        } else {
            do {
                head = lvProducerHead();
                long free = capacity + laConsumerTail() - head;
                count = free >= n ? n : (bulk ? 0 : (int) Math.max(0, free));
                if (count == 0) {
                    return 0;
                }
            } while (!casProducerHead(head, head + count));
        }
        writeSlots(head, src, offset, count);
        publishProducer(head, head + count);
        return count;
    }

    private int dequeue(long[] dst, int offset, int n, boolean bulk) {
        long head;
        int count;
        if (singleConsumer) {
            head = lpConsumerHead();
            // Acquire: the producer's slot writes below producerTail are visible to us.
            long entries = laProducerTail() - head;
            count = entries >= n ? n : (bulk ? 0 : (int) entries);
            if (count == 0) {
                return 0;
            }
            spConsumerHead(head + count);
        } else {
            do {
                head = lvConsumerHead();
                long entries = laProducerTail() - head;
                count = entries >= n ? n : (bulk ? 0 : (int) Math.max(0, entries));
                if (count == 0) {
                    return 0;
                }
            } while (!casConsumerHead(head, head + count));
        }
        readSlots(head, dst, offset, count);
        publishConsumer(head, head + count);
        return count;
    }

    /** Below this many, a plain loop beats a bulk copy's fixed cost. */
    private static final int COPY_THRESHOLD = 8;

    private void writeSlots(long head, long[] src, int offset, int count) {
        final long slots = this.slots;
        final long mask = this.mask;
        if (count < COPY_THRESHOLD) {
            for (int i = 0; i < count; i++) {
                ALL.set(SLOT, slots + (((head + i) & mask) << 3), src[offset + i]);
            }
            return;
        }
        // At most two contiguous runs: up to the end of the slot array, then from its start.
        int index = (int) (head & mask);
        int first = Math.min(count, capacity - index);
        MemorySegment.copy(src, offset, ALL, SLOT, slots + ((long) index << 3), first);
        if (first < count) {
            MemorySegment.copy(src, offset + first, ALL, SLOT, slots, count - first);
        }
    }

    private void readSlots(long head, long[] dst, int offset, int count) {
        final long slots = this.slots;
        final long mask = this.mask;
        if (count < COPY_THRESHOLD) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = ALL.get(SLOT, slots + (((head + i) & mask) << 3));
            }
            return;
        }
        int index = (int) (head & mask);
        int first = Math.min(count, capacity - index);
        MemorySegment.copy(ALL, SLOT, slots + ((long) index << 3), dst, offset, first);
        if (first < count) {
            MemorySegment.copy(ALL, SLOT, slots, dst, offset + first, count - first);
        }
    }

    private void publishProducer(long reservedFrom, long reservedTo) {
        if (!singleProducer) {
            // Earlier reservations publish first: the tail may only move over slots whose writes are complete.
            for (int spins = 0; laProducerTail() != reservedFrom; spins++) {
                backOff(spins);
            }
        }
        // Release: our slot writes become visible to a consumer that acquires this tail.
        soProducerTail(reservedTo);
    }

    private void publishConsumer(long reservedFrom, long reservedTo) {
        if (!singleConsumer) {
            // Earlier reservations release first: producers may only reuse slots every consumer has finished reading.
            for (int spins = 0; laConsumerTail() != reservedFrom; spins++) {
                backOff(spins);
            }
        }
        // Release: our slot reads are complete before a producer that acquires this tail overwrites the slots.
        soConsumerTail(reservedTo);
    }

    /**
     * Waits for a thread of the same side that reserved earlier and has not yet published. rte_ring only pauses;
     * when that thread has been preempted (more threads than cores) pausing burns the whole time slice, so after a
     * while the waiter yields its core to let the preempted thread finish.
     */
    private static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Frees the slots. The ring must be empty of pointers the caller still owns, and no thread may use it after. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "MbufRing[" + name + ", capacity " + capacity + ", " + (singleProducer ? "SP" : "MP")
                + (singleConsumer ? "/SC" : "/MC") + "]";
    }
}
