package dev.isthmus.dns.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where a zone store's record segment comes from. {@link #OWN}: a segment of its own ({@code Arena.ofAuto()}),
 * freed by the garbage collector with the zone's last version — what a single load or a change uses. A new
 * {@code SegmentSlab} instead hands small stores consecutive slices of shared slabs: {@link ZoneLoader#loadAll}
 * uses one for a bulk load, where 10 000 zones of a few hundred octets each would otherwise each carry an
 * automatic arena's session, cleaner and segment objects on the Java heap (~180 B) and a C-library block header.
 *
 * <p>A slice keeps its whole slab reachable (a slice shares the slab's session), so a slab is freed only when every
 * zone in it has been replaced. That is why only a bulk load takes slices: later versions and replacements take
 * segments of their own ({@link StoreChange} copies a zone out of its slice when it outgrows it), so memory held by
 * slabs never exceeds what the bulk load allocated.
 */
class SegmentSlab {
    /** Segments of their own, one automatic arena each. */
    static final SegmentSlab OWN = new SegmentSlab(0);

    /** Octets per slab: about 200 small zones; at most this much is held for one zone that outlives the others. */
    static final long SLAB = 64 * 1024;
    /** Larger stores get a segment of their own even from a slab allocator. */
    static final long MAX_SLICE = 4 * 1024;

    private final long slabBytes;
    private MemorySegment slab;
    private long used;

    /** A slab allocator for one bulk load (thread-safe: {@link ZoneLoader#loadAll} loads on several threads). */
    SegmentSlab() {
        this(SLAB);
    }

    private SegmentSlab(long slabBytes) {
        this.slabBytes = slabBytes;
    }

    /** @return true when stores from here share slabs (they then keep no spare room for appends) */
    boolean shared() {
        return slabBytes > 0;
    }

    /** @return {@code bytes} zeroed octets aligned to 8, a slice of a slab when small enough */
    MemorySegment allocate(long bytes) {
        if (bytes > MAX_SLICE || slabBytes == 0) {
            return Arena.ofAuto().allocate(Math.max(1, bytes), 8);
        }
        long size = (Math.max(1, bytes) + 7) & ~7L;
        synchronized (this) {
            if (slab == null || used + size > slab.byteSize()) {
                slab = Arena.ofAuto().allocate(slabBytes, 8);
                used = 0;
            }
            MemorySegment slice = slab.asSlice(used, size);
            used += size;
            return slice;
        }
    }
}
