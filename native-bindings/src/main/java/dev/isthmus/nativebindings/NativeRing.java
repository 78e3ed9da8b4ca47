package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.isthmus.nativebindings.generated.Dpdk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * DPDK's own lock-free ring ({@code rte_ring}) of pointers: hands mbufs between lcores, and backs {@code net_ring}
 * ports ({@link EthPort#fromRings}). Bursts of mbufs move with {@link MbufBurst#enqueue}/{@link MbufBurst#dequeue};
 * the methods here move tables of pointers the caller keeps in native memory.
 *
 * <p>Whether several threads may enqueue (or dequeue) at once is fixed at creation: single-producer/consumer rings
 * are faster but must have exactly one thread on that side.
 */
public final class NativeRing implements AutoCloseable {

    static {
        Shim.ensureLoaded();
    }

    private final String name;
    private final int capacity;
    private long ring;

    private NativeRing(String name, int capacity, long ring) {
        this.name = name;
        this.capacity = capacity;
        this.ring = ring;
    }

    /**
     * Creates a ring with room for {@code size - 1} pointers ({@code size} a power of two, DPDK keeps one slot free).
     *
     * @param singleProducer only one thread ever enqueues ({@code RING_F_SP_ENQ})
     * @param singleConsumer only one thread ever dequeues ({@code RING_F_SC_DEQ})
     * @throws DpdkException when the name is taken, the size is not a power of two, or memory is short
     */
    public static NativeRing create(String name, int size, boolean singleProducer, boolean singleConsumer) {
        Eal.require();
        int flags = (singleProducer ? Dpdk.RING_F_SP_ENQ() : 0) | (singleConsumer ? Dpdk.RING_F_SC_DEQ() : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = Dpdk.rte_ring_create(arena.allocateFrom(name), size, Dpdk.rte_socket_id(), flags);
            if (r.equals(MemorySegment.NULL)) {
                throw DpdkException.fromRteErrno("rte_ring_create(" + name + ", size " + size + ")");
            }
            return new NativeRing(name, size - 1, r.address());
        }
    }

    public String name() {
        return name;
    }

    /** Most pointers the ring holds at once. */
    public int capacity() {
        return capacity;
    }

    /** The {@code struct rte_ring *}. */
    public long address() {
        long r = ring;
        if (r == 0) {
            throw new IllegalStateException("ring " + name + " is closed");
        }
        return r;
    }

    /** Pointers in the ring now (a snapshot: other threads may change it at once). */
    public int count() {
        return Shim.ringCount(address());
    }

    /** Room left now. */
    public int freeCount() {
        return Shim.ringFreeCount(address());
    }

    /** Enqueues up to {@code n} pointers from the native table at {@code table}; returns how many went in. */
    public int enqueueBurst(long table, int n) {
        return Shim.ringEnqueueBurst(address(), table, n, 0L);
    }

    /** Enqueues all {@code n} pointers or none; returns whether they went in. */
    public boolean enqueueBulk(long table, int n) {
        return Shim.ringEnqueueBulk(address(), table, n, 0L) == n;
    }

    /** Dequeues up to {@code n} pointers into the native table at {@code table}; returns how many came out. */
    public int dequeueBurst(long table, int n) {
        return Shim.ringDequeueBurst(address(), table, n, 0L);
    }

    /** Dequeues exactly {@code n} pointers or none; returns whether they came out. */
    public boolean dequeueBulk(long table, int n) {
        return Shim.ringDequeueBulk(address(), table, n, 0L) == n;
    }

    /** Enqueues one pointer (control path: allocates); returns false when the ring is full. */
    public boolean offer(long pointer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, pointer);
            return enqueueBurst(one.address(), 1) == 1;
        }
    }

    /** Dequeues one pointer (control path: allocates); 0 when the ring is empty. */
    public long poll() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(JAVA_LONG);
            return dequeueBurst(one.address(), 1) == 1 ? one.get(JAVA_LONG, 0) : 0L;
        }
    }

    /** Frees the ring ({@code rte_ring_free}); what is still in it is not freed. Idempotent. */
    @Override
    public void close() {
        long r = ring;
        if (r != 0) {
            ring = 0;
            Dpdk.rte_ring_free(MemorySegment.ofAddress(r));
        }
    }

    @Override
    public String toString() {
        return "NativeRing[" + name + ", capacity " + capacity + "]";
    }
}
