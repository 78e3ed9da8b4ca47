package dev.isthmus.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * The one segment through which packet bytes and mbuf fields are accessed by absolute address.
 *
 * <p>DPDK hands out raw pointers (mbufs, packet data) whose lifetime it manages itself; wrapping each in its own
 * {@link MemorySegment} would allocate per packet. Instead, upper layers keep addresses as {@code long}s and read
 * through {@link #ALL}, e.g. {@code ALL.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BIG_ENDIAN), address + 12)}.
 * The price is that nothing checks such an address: only pass addresses that DPDK or this module produced.
 */
public final class NativeMemory {

    /** Spans the whole address space: offsets into it are absolute addresses. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /**
     * Alignment used for every DPDK struct allocated from Java: a cache line, the strictest alignment DPDK declares
     * ({@code __rte_cache_aligned}), which jextract's layouts do not carry.
     */
    public static final long STRUCT_ALIGNMENT = 64;

    private NativeMemory() {
    }

    /** A zeroed struct of the given jextract layout, cache-line aligned (see {@link #STRUCT_ALIGNMENT}). */
    static MemorySegment allocateStruct(Arena arena, MemoryLayout layout) {
        return arena.allocate(layout.byteSize(), Math.max(STRUCT_ALIGNMENT, layout.byteAlignment()));
    }

    /** The NUL-terminated C string at a native address (as DPDK returns them), or null for NULL. */
    static String cString(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
