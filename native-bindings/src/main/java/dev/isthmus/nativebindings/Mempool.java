package dev.isthmus.nativebindings;

import dev.isthmus.nativebindings.generated.Dpdk;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A pool of packet mbufs ({@code rte_pktmbuf_pool_create}). Ports receive into it and {@link MbufBurst#allocate}
 * takes from it; every mbuf goes back exactly once, which tests check with {@link #available()}.
 */
public final class Mempool implements AutoCloseable {

    static {
        Shim.ensureLoaded();
    }

    /** Data room per mbuf: 2048 bytes of packet plus the 128-byte headroom ({@code RTE_MBUF_DEFAULT_BUF_SIZE}). */
    public static final int DEFAULT_DATA_ROOM = Dpdk.RTE_MBUF_DEFAULT_BUF_SIZE();
    /** Per-lcore cache size used by {@link #create(String, int)}; DPDK allows up to 512. */
    public static final int DEFAULT_CACHE_SIZE = 256;

    private final String name;
    private final int size;
    private MemorySegment pool;

    private Mempool(String name, int size, MemorySegment pool) {
        this.name = name;
        this.size = size;
        this.pool = pool;
    }

    /** A pool of {@code size} mbufs with the default data room and cache, on the caller's NUMA socket. */
    public static Mempool create(String name, int size) {
        return create(name, size, Math.min(DEFAULT_CACHE_SIZE, size / 2), DEFAULT_DATA_ROOM);
    }

    /**
     * A pool of {@code size} mbufs ({@code 2^q - 1} uses memory best), each with {@code dataRoom} bytes including
     * the headroom, and a per-lcore cache of {@code cacheSize} mbufs (0 for none).
     *
     * @throws DpdkException when DPDK cannot create it (name taken, no memory, bad sizes)
     */
    public static Mempool create(String name, int size, int cacheSize, int dataRoom) {
        if (dataRoom < 0 || dataRoom > 0xFFFF) {
            throw new IllegalArgumentException("data room " + dataRoom + " does not fit DPDK's uint16_t");
        }
        Eal.require();
        String call = "rte_pktmbuf_pool_create(" + name + ", " + size + " mbufs, cache " + cacheSize + ", data room "
                + dataRoom + ")";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pool = Dpdk.rte_pktmbuf_pool_create(arena.allocateFrom(name), size, cacheSize, (short) 0,
                    (short) dataRoom, Dpdk.rte_socket_id());
            if (pool.equals(MemorySegment.NULL)) {
                throw DpdkException.fromRteErrno(call);
            }
            return new Mempool(name, size, pool);
        }
    }

    public String name() {
        return name;
    }

    /** Number of mbufs the pool was created with. */
    public int size() {
        return size;
    }

    /** Free mbufs, including those in per-lcore caches ({@code rte_mempool_avail_count}). */
    public int available() {
        return Dpdk.rte_mempool_avail_count(live());
    }

    /** Mbufs taken from the pool and not yet returned ({@code rte_mempool_in_use_count}). */
    public int inUse() {
        return Dpdk.rte_mempool_in_use_count(live());
    }

    /** The {@code struct rte_mempool *}. */
    public long address() {
        return live().address();
    }

    MemorySegment segment() {
        return live();
    }

    private MemorySegment live() {
        MemorySegment p = pool;
        if (p == null) {
            throw new IllegalStateException("mempool " + name + " is closed");
        }
        return p;
    }

    /** Frees the pool ({@code rte_mempool_free}). Every port using it must be closed first. */
    @Override
    public void close() {
        MemorySegment p = pool;
        if (p != null) {
            pool = null;
            Dpdk.rte_mempool_free(p);
        }
    }

    @Override
    public String toString() {
        return "Mempool[" + name + ", " + size + " mbufs]";
    }
}
