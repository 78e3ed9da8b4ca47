package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Hand-written downcalls into the C shim ({@code src/main/c/isthmus_shim.h}; keep the two in step).
 *
 * <p>Pointers cross as {@code long} addresses: the data path keeps its native arrays as addresses, and a
 * {@code long} argument costs the downcall no segment liveness check. C {@code uint16_t} is {@code short} and
 * {@code uint32_t} is {@code int}; the wrappers widen unsigned results.
 *
 * <p>Every call here is short and never blocks or calls back into Java, so all (but the string-taking
 * {@code isthmus_layout}) are critical downcalls: the JVM skips the thread-state transition and safepoint check
 * around them. The option's argument is {@code allowHeapAccess}; it is {@code false} because only native addresses
 * cross. The perf module measures critical against plain linkage of the same functions through
 * {@link #rxBurstHandle(boolean)}, {@link #freeBulkHandle(boolean)} and {@link #lcoreIdHandle(boolean)}
 * (perf/RESULTS.md). A critical call must stay
 * short: the JVM cannot reach a safepoint while one runs.
 *
 * <p>Upper layers do not call this class; they use {@link MbufBurst} and the other facade classes.
 */
public final class Shim {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP;

    static {
        NativeLibrary.load();
        LOOKUP = SymbolLookup.loaderLookup();
    }

    private static final FunctionDescriptor RX_BURST_DESC = FunctionDescriptor.of(JAVA_SHORT,
            JAVA_SHORT, JAVA_SHORT, JAVA_LONG, JAVA_SHORT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor FREE_BULK_DESC = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_SHORT);

    private static final FunctionDescriptor LCORE_ID_DESC = FunctionDescriptor.of(JAVA_INT);
    private static final MethodHandle LCORE_ID = critical("isthmus_lcore_id", LCORE_ID_DESC);
    private static final MethodHandle ERRNO = critical("isthmus_errno", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle PIN = critical("isthmus_pin_current_thread",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CPUSET_SIZE = critical("isthmus_cpuset_size", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GET_AFFINITY = critical("isthmus_get_affinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle SET_AFFINITY = critical("isthmus_set_affinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    private static final MethodHandle RX_BURST = critical("isthmus_rx_burst", RX_BURST_DESC);
    private static final MethodHandle TX_BURST = critical("isthmus_tx_burst",
            FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle ALLOC_BULK = critical("isthmus_alloc_bulk",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_SHORT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE_BULK = critical("isthmus_free_bulk", FREE_BULK_DESC);
    private static final MethodHandle BURST_DATA = critical("isthmus_burst_data",
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_SHORT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle APPEND = critical("isthmus_pktmbuf_append",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle PREPEND = critical("isthmus_pktmbuf_prepend",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle ADJ = critical("isthmus_pktmbuf_adj",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle TRIM = critical("isthmus_pktmbuf_trim",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_SHORT));
    private static final MethodHandle SET_TX_OFFLOAD = critical("isthmus_mbuf_set_tx_offload",
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_LONG));
    private static final MethodHandle LINK_GET = critical("isthmus_link_get_nowait",
            FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_LONG, JAVA_LONG));

    private static final MethodHandle RING_ENQUEUE_BURST = critical("isthmus_ring_enqueue_burst",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    private static final MethodHandle RING_ENQUEUE_BULK = critical("isthmus_ring_enqueue_bulk",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    private static final MethodHandle RING_DEQUEUE_BURST = critical("isthmus_ring_dequeue_burst",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    private static final MethodHandle RING_DEQUEUE_BULK = critical("isthmus_ring_dequeue_bulk",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    private static final MethodHandle RING_DEQUEUE_MBUFS = critical("isthmus_ring_dequeue_mbufs",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle RING_COUNT = critical("isthmus_ring_count",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle RING_FREE_COUNT = critical("isthmus_ring_free_count",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

    // Cold: takes a Java string, so it goes through a MemorySegment (and is not critical: it may be slow).
    private static final MethodHandle LAYOUT = LINKER.downcallHandle(find("isthmus_layout"),
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle TX_OFFLOAD_PACK = critical("isthmus_tx_offload_pack",
            FunctionDescriptor.of(JAVA_LONG, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT));

    /** Bits of {@link #linkGet}'s flags, as {@code ISTHMUS_LINK_*} in the header. */
    static final int LINK_UP = 1;
    static final int LINK_FULL_DUPLEX = 1 << 1;
    static final int LINK_AUTONEG = 1 << 2;

    private Shim() {
    }

    /** Makes sure the shim (and with it the DPDK libraries) is loaded; the generated bindings need that first. */
    static void ensureLoaded() {
        // The static initialiser did the work.
    }

    private static MemorySegment find(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new IllegalStateException(
                "symbol " + name + " missing from libisthmus_shim.so: the shim on the class path is stale"));
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(name), descriptor, Linker.Option.critical(false));
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall into the C shim failed", t);
    }

    /**
     * {@code isthmus_rx_burst}, linked critical or not, for benchmarks of the linkage itself. Type:
     * {@code (short port, short queue, long mbufs, short n, long addrs, long lens) -> short received}.
     */
    public static MethodHandle rxBurstHandle(boolean critical) {
        return critical ? RX_BURST : LINKER.downcallHandle(find("isthmus_rx_burst"), RX_BURST_DESC);
    }

    /** {@code isthmus_free_bulk}, linked critical or not, for benchmarks: {@code (long mbufs, short n) -> void}. */
    public static MethodHandle freeBulkHandle(boolean critical) {
        return critical ? FREE_BULK : LINKER.downcallHandle(find("isthmus_free_bulk"), FREE_BULK_DESC);
    }

    /**
     * {@code isthmus_lcore_id}, linked critical or not: the cheapest shim call, for measuring the crossing alone.
     * Type: {@code () -> int}.
     */
    public static MethodHandle lcoreIdHandle(boolean critical) {
        return critical ? LCORE_ID : LINKER.downcallHandle(find("isthmus_lcore_id"), LCORE_ID_DESC);
    }

    static int lcoreId() {
        try {
            return (int) LCORE_ID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int errno() {
        try {
            return (int) ERRNO.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int pinCurrentThread(int cpu) {
        try {
            return (int) PIN.invokeExact(cpu);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int cpusetSize() {
        try {
            return (int) CPUSET_SIZE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int getAffinity(long cpuset) {
        try {
            return (int) GET_AFFINITY.invokeExact(cpuset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int setAffinity(long cpuset) {
        try {
            return (int) SET_AFFINITY.invokeExact(cpuset);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int rxBurst(short port, short queue, long mbufs, short n, long addrs, long lens) {
        try {
            return Short.toUnsignedInt((short) RX_BURST.invokeExact(port, queue, mbufs, n, addrs, lens));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int txBurst(short port, short queue, long mbufs, short n) {
        try {
            return Short.toUnsignedInt((short) TX_BURST.invokeExact(port, queue, mbufs, n));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int allocBulk(long pool, long mbufs, short n, long addrs, long lens) {
        try {
            return (int) ALLOC_BULK.invokeExact(pool, mbufs, n, addrs, lens);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void freeBulk(long mbufs, short n) {
        try {
            FREE_BULK.invokeExact(mbufs, n);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void burstData(long mbufs, short n, long addrs, long lens) {
        try {
            BURST_DATA.invokeExact(mbufs, n, addrs, lens);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long append(long mbuf, short len) {
        try {
            return (long) APPEND.invokeExact(mbuf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long prepend(long mbuf, short len) {
        try {
            return (long) PREPEND.invokeExact(mbuf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long adj(long mbuf, short len) {
        try {
            return (long) ADJ.invokeExact(mbuf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int trim(long mbuf, short len) {
        try {
            return (int) TRIM.invokeExact(mbuf, len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void setTxOffload(long mbuf, short l2, short l3, short l4, long olFlags) {
        try {
            SET_TX_OFFLOAD.invokeExact(mbuf, l2, l3, l4, olFlags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int linkGet(short port, long speed, long flags) {
        try {
            return (int) LINK_GET.invokeExact(port, speed, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringEnqueueBurst(long ring, long objs, int n, long freeSpace) {
        try {
            return (int) RING_ENQUEUE_BURST.invokeExact(ring, objs, n, freeSpace);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringEnqueueBulk(long ring, long objs, int n, long freeSpace) {
        try {
            return (int) RING_ENQUEUE_BULK.invokeExact(ring, objs, n, freeSpace);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringDequeueBurst(long ring, long objs, int n, long available) {
        try {
            return (int) RING_DEQUEUE_BURST.invokeExact(ring, objs, n, available);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringDequeueBulk(long ring, long objs, int n, long available) {
        try {
            return (int) RING_DEQUEUE_BULK.invokeExact(ring, objs, n, available);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringDequeueMbufs(long ring, long mbufs, int n, long addrs, long lens) {
        try {
            return (int) RING_DEQUEUE_MBUFS.invokeExact(ring, mbufs, n, addrs, lens);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringCount(long ring) {
        try {
            return (int) RING_COUNT.invokeExact(ring);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ringFreeCount(long ring) {
        try {
            return (int) RING_FREE_COUNT.invokeExact(ring);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code isthmus_layout}: offsetof/sizeof/constants compiled from the DPDK headers, -1 for an unknown name. */
    public static long layout(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (long) LAYOUT.invokeExact(arena.allocateFrom(name));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code isthmus_tx_offload_pack}: the tx_offload word the C bitfields give these lengths. */
    public static long txOffloadPack(int l2Len, int l3Len, int l4Len) {
        try {
            return (long) TX_OFFLOAD_PACK.invokeExact((short) l2Len, (short) l3Len, (short) l4Len);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
