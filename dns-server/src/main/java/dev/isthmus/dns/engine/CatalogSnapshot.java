package dev.isthmus.dns.engine;

import dev.isthmus.dns.wire.DnsName;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One immutable generation of the served zones: each zone's {@link StoredZone}, a hash table of origins for the
 * longest match of RFC 1034 §4.3.2 step 2, and a generation number per zone slot that the packet cache checks on
 * every hit. Published by {@link ZoneCatalog} with one volatile write; readers use it without locks. A new
 * generation shares the {@link StoredZone} of every zone that did not change.
 */
public final class CatalogSnapshot {
    /** Numbers the snapshots of this process, so an engine's hint from one is never taken for another's. */
    private static final java.util.concurrent.atomic.AtomicLong SNAPSHOTS = new java.util.concurrent.atomic.AtomicLong();
    static final CatalogSnapshot EMPTY = new CatalogSnapshot(Map.of(), Map.of(), new long[] {1});

    /** The slot of answers that depend on more than one zone or on the set of zones itself (REFUSED). */
    static final int CATALOG_SLOT = 0;

    private final Map<DnsName, StoredZone> zones;
    private final StoredZone[] byIndex;
    private final int[] slotOf;
    /** Two ints per entry: the origin's hash, 1 + index in {@link #byIndex}. */
    private final int[] origins;
    private final int mask;
    /** Bit n set: some origin is n octets long in wire form; suffixes of other lengths are not looked up. */
    private final long[] originLengths = new long[4];
    private final long[] generations;
    /** By index: the zone is a secondary past its SOA expire time (RFC 1035 §4.3.5), answered with SERVFAIL. */
    private final boolean[] expired;
    /**
     * By index: the origin's wire form lower-cased as little-endian words, zero past its end, so a suffix of a name
     * is compared with it a word at a time ({@link #isOrigin}) and never octet by octet.
     */
    private final long[][] originWords;
    /**
     * By index: the zone's origin length and label count, and whether no other served origin lies below it — then
     * the longest match for any name under that origin is that zone, and a hint to it is taken with one compare.
     */
    private final int[] originLength;
    private final int[] originLabels;
    private final boolean[] innermost;
    private final long number = SNAPSHOTS.incrementAndGet();
    private static final java.lang.invoke.VarHandle WORDS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * @param zones       the zones by origin
     * @param slots       each origin's slot (stable across generations; never {@link #CATALOG_SLOT})
     * @param generations by slot: the generation of that zone's answers; slot 0 changes with every change
     */
    CatalogSnapshot(Map<DnsName, StoredZone> zones, Map<DnsName, Integer> slots, long[] generations) {
        this(zones, slots, generations, java.util.Set.of());
    }

    /** @param expiredZones the origins of zones that are served but answered with SERVFAIL */
    CatalogSnapshot(Map<DnsName, StoredZone> zones, Map<DnsName, Integer> slots, long[] generations,
                    java.util.Set<DnsName> expiredZones) {
        this.zones = Collections.unmodifiableMap(new LinkedHashMap<>(zones));
        this.byIndex = zones.values().toArray(new StoredZone[0]);
        this.slotOf = new int[byIndex.length];
        this.expired = new boolean[byIndex.length];
        this.originWords = new long[byIndex.length][];
        this.originLength = new int[byIndex.length];
        this.originLabels = new int[byIndex.length];
        this.innermost = new boolean[byIndex.length];
        this.generations = generations.clone();
        int capacity = Integer.highestOneBit(Math.max(4, byIndex.length * 2)) << 1;
        this.origins = new int[capacity * 2];
        this.mask = capacity - 1;
        for (int i = 0; i < byIndex.length; i++) {
            slotOf[i] = slots.get(byIndex[i].origin());
            expired[i] = expiredZones.contains(byIndex[i].origin());
            byte[] name = byIndex[i].origin().canonical();
            originWords[i] = new long[(name.length + 7) >>> 3];
            for (int k = 0; k < name.length; k++) {
                originWords[i][k >>> 3] |= (name[k] & 0xFFL) << ((k & 7) << 3);
            }
            int h = StoredZone.hash(name, 0, name.length);
            int s = h & mask;
            while (origins[s * 2 + 1] != 0) {
                s = (s + 1) & mask;
            }
            originLengths[name.length >>> 6] |= 1L << name.length;
            origins[s * 2] = h;
            origins[s * 2 + 1] = i + 1;
            originLength[i] = name.length;
            originLabels[i] = byIndex[i].originLabels();
        }
        java.util.Arrays.fill(innermost, true);
        for (StoredZone z : byIndex) {
            // Every origin that is a proper suffix of this one has a zone below it.
            byte[] name = z.originWire();
            for (int p = 0; name[p] != 0; ) {
                p += 1 + (name[p] & 0xFF);
                int above = exact(name, p, name.length - p);
                if (above >= 0) {
                    innermost[above] = false;
                }
            }
        }
    }

    /** @return the zones of this generation by origin */
    public Map<DnsName, StoredZone> zones() {
        return zones;
    }

    /** @return 0: answers are assembled per query from the zone store, none is precomputed */
    public int precomputedAnswers() {
        return 0;
    }

    /** @return names held by every zone of this generation */
    public long names() {
        long n = 0;
        for (StoredZone z : byIndex) {
            n += z.names();
        }
        return n;
    }

    /**
     * @return the index of the zone with the longest origin that contains the wire name at {@code name[offset]}
     *     (any case), or -1 (RFC 1034 §4.3.2 step 2)
     */
    int find(byte[] name, int offset) {
        if (byIndex.length == 0) {
            return -1;
        }
        int p = offset;
        int length = nameLength(name, p); // each shorter suffix is its label shorter
        while (true) {
            if ((originLengths[length >>> 6] & 1L << length) != 0) {
                int zone = exact(name, p, length);
                if (zone >= 0) {
                    return zone;
                }
            }
            if (name[p] == 0) {
                return -1;
            }
            int label = 1 + (name[p] & 0xFF);
            p += label;
            length -= label;
        }
    }

    /**
     * {@link #find} for a name whose label starts are known ({@code starts[labels]} the root's), as the engine has
     * them for the question: no walk to measure it. The array must hold a word of room past the name's end.
     *
     * @param hint a zone index of this snapshot to try before hashing (the zone of the caller's last question:
     *     consecutive questions mostly share their zone), or -1; it changes only the cost, never the result, as
     *     suffixes are still tried longest first and an origin equal to a suffix is that suffix's zone
     */
    int find(byte[] name, int[] starts, int labels, int length, int hint) {
        if (byIndex.length == 0) {
            return -1;
        }
        final int hintLength = hint >= 0 ? originLength[hint] : -1;
        if (hint >= 0 && innermost[hint] && labels >= originLabels[hint]) {
            // No served origin lies below the hint's: when the name is under it, no longer suffix is an origin. One
            // compare instead of a walk over the longer suffixes, whose count varies from question to question.
            int start = starts[labels - originLabels[hint]];
            if (length - start == hintLength && isOrigin(hint, name, start, hintLength)) {
                return hint;
            }
        }
        for (int l = 0; l <= labels; l++) {
            int start = starts[l];
            int suffix = length - start;
            if ((originLengths[suffix >>> 6] & 1L << suffix) != 0) {
                if (suffix == hintLength && isOrigin(hint, name, start, suffix)) {
                    return hint;
                }
                int zone = exact(name, start, suffix);
                if (zone >= 0) {
                    return zone;
                }
            }
        }
        return -1;
    }

    /** @return a number no other snapshot of this process has (for hints kept across queries) */
    long number() {
        return number;
    }

    /** @return whether the {@code length} octets at {@code name[offset]} (any case) are zone {@code index}'s origin */
    private boolean isOrigin(int index, byte[] name, int offset, int length) {
        final long[] words = originWords[index];
        if (offset + (words.length << 3) > name.length) {
            return Names.sameIgnoringCase(byIndex[index].originWire(), 0, name, offset, length);
        }
        int k = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8, k++) {
            if (StoredZone.lowerWord((long) WORDS.get(name, offset + i)) != words[k]) {
                return false;
            }
        }
        if (i == length) {
            return true;
        }
        // The last octets as one word, what lies past the name masked off (the first octets are the low ones).
        long tail = StoredZone.lowerWord((long) WORDS.get(name, offset + i)) & (-1L >>> ((8 - (length - i)) << 3));
        return tail == words[k];
    }

    private int exact(byte[] name, int offset, int length) {
        int h = StoredZone.hash(name, offset, length);
        int s = h & mask;
        while (true) {
            int v = origins[s * 2 + 1];
            if (v == 0) {
                return -1;
            }
            if (origins[s * 2] == h && byIndex[v - 1].originWire().length == length
                && isOrigin(v - 1, name, offset, length)) {
                return v - 1;
            }
            s = (s + 1) & mask;
        }
    }

    StoredZone zone(int index) {
        return byIndex[index];
    }

    /** @return whether no other served origin lies below zone {@code index}'s: every name under it is that zone's */
    boolean innermost(int index) {
        return innermost[index];
    }

    boolean expired(int index) {
        return expired[index];
    }

    int slot(int index) {
        return slotOf[index];
    }

    /** @return the generation of {@code slot}'s answers, or -1 for a slot this generation does not know */
    public long generation(int slot) {
        return slot < generations.length ? generations[slot] : -1;
    }

    long[] generations() {
        return generations;
    }

    private static int nameLength(byte[] name, int offset) {
        int p = offset;
        while (name[p] != 0) {
            p += 1 + (name[p] & 0xFF);
        }
        return p + 1 - offset;
    }

    @Override
    public String toString() {
        return "CatalogSnapshot" + zones.keySet() + Arrays.toString(generations);
    }
}
