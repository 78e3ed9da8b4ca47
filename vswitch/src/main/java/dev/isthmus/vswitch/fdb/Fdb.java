package dev.isthmus.vswitch.fdb;

import dev.isthmus.dataplane.address.MacAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The MAC table of one bridge domain: 48-bit MAC to {@link FdbTarget}, learned from data-path lcores without locks,
 * with static entries, aging and a limit on learned entries.
 *
 * <p>Data path: {@link #lookup} and {@link #learn} read one volatile field and then work on the current
 * {@link LearningTable} lock-free. Control side: every other method is serialised on this object; {@link #maintain}
 * ages entries and, when aged keys have piled up or the limit changed, builds a compact table and publishes it with
 * one volatile write. A station learned on an lcore in the instant between that copy and the publication is lost
 * from the new table and learned again on its next frame, exactly as if it had aged out a moment earlier (one
 * extra flood); nothing else is lost.
 *
 * <p>Limit: when {@code macLimit} learned entries exist, learning a new MAC returns
 * {@link LearnOutcome#LIMIT_REACHED} and stores nothing, so a flood of random source MACs cannot grow memory; known
 * stations keep being refreshed and moved. Static entries do not count toward the limit.
 */
public final class Fdb {

    /** Default aging time in seconds (IEEE 802.1Q section 8.8.3 recommends 300). */
    public static final int DEFAULT_AGING_SECONDS = 300;
    /** Default most learned entries per domain. */
    public static final int DEFAULT_MAC_LIMIT = 16_384;

    /** Payload width: an {@link FdbTarget}; the last-seen time takes the other 30 bits, in seconds. */
    private static final int TARGET_BITS = 32;

    private volatile LearningTable table;
    private int agingSeconds;

    /**
     * @param macLimit most learned entries
     * @param agingSeconds seconds of silence after which a learned entry goes
     */
    public Fdb(int macLimit, int agingSeconds) {
        checkSettings(macLimit, agingSeconds);
        this.table = new LearningTable(LearningTable.capacityFor(macLimit), macLimit, TARGET_BITS, 0);
        this.agingSeconds = agingSeconds;
    }

    private static void checkSettings(int macLimit, int agingSeconds) {
        if (macLimit < 1 || macLimit > 4_000_000) {
            throw new IllegalArgumentException("MAC limit must be in [1, 4000000]: " + macLimit);
        }
        if (agingSeconds < 1) {
            throw new IllegalArgumentException("aging time must be at least 1 second: " + agingSeconds);
        }
    }

    /**
     * Data path: where {@code mac} lives.
     *
     * @param mac the destination MAC
     * @return its {@link FdbTarget}, or {@link FdbTarget#MISS}
     */
    public int lookup(long mac) {
        return (int) table.get(mac);
    }

    /**
     * Data path: learns that the source {@code mac} was seen behind {@code target}.
     *
     * @param mac a unicast source MAC (callers filter group addresses)
     * @param target where the frame came from
     * @param now the current second of the clock given to {@link #maintain}
     * @return a {@link LearnOutcome} constant
     */
    public int learn(long mac, int target, int now) {
        return table.learn(mac, target & 0xFFFF_FFFFL, now);
    }

    /**
     * Adds or replaces a static entry.
     *
     * @param mac a unicast MAC
     * @param target where it lives
     */
    public synchronized void putStatic(long mac, int target) {
        if (MacAddress.isMulticast(mac) || mac == 0 || target == FdbTarget.MISS) {
            throw new IllegalArgumentException("static entry needs a unicast MAC and a target");
        }
        if (!table.putStatic(mac, target & 0xFFFF_FFFFL)) {
            rebuild(table.dynamicLimit(), table.staticCount() + 1);
            if (!table.putStatic(mac, target & 0xFFFF_FFFFL)) {
                throw new IllegalStateException("no room for a static entry after growing the table");
            }
        }
    }

    /**
     * Removes a static entry; a learned entry for the MAC is left alone.
     *
     * @param mac the MAC
     * @return whether a static entry was removed
     */
    public synchronized boolean removeStatic(long mac) {
        final long value = table.get(mac);
        if ((value & LearningTable.STATIC) == 0) {
            return false;
        }
        table.remove(mac);
        return true;
    }

    /**
     * Removes every learned entry; static entries stay.
     *
     * @return how many entries were removed
     */
    public synchronized int flush() {
        return table.removeIf(value -> (value & LearningTable.STATIC) == 0);
    }

    /**
     * Removes every entry, learned or static, that points at {@code target} (the port or VTEP left the domain).
     *
     * @param target the target
     * @return how many entries were removed
     */
    public synchronized int flushTarget(int target) {
        final long wanted = target & 0xFFFF_FFFFL;
        return table.removeIf(value -> (value & ~LearningTable.STATIC) == wanted);
    }

    /**
     * Periodic maintenance (about once a second): ages learned entries and compacts the table when needed.
     *
     * @param now the current second
     * @return how many entries aged out
     */
    public synchronized int maintain(int now) {
        final int aged = table.age(now, agingSeconds);
        if (table.needsCompaction()) {
            rebuild(table.dynamicLimit(), table.staticCount());
        }
        return aged;
    }

    /**
     * Changes the limit and aging time; a new limit rebuilds the table (learned entries beyond a smaller limit are
     * dropped and relearned as room allows).
     *
     * @param macLimit most learned entries
     * @param agingSeconds seconds of silence after which a learned entry goes
     */
    public synchronized void configure(int macLimit, int agingSeconds) {
        checkSettings(macLimit, agingSeconds);
        this.agingSeconds = agingSeconds;
        if (macLimit != table.dynamicLimit()) {
            rebuild(macLimit, table.staticCount());
        }
    }

    private void rebuild(int macLimit, int statics) {
        final LearningTable next = table.emptyLike(LearningTable.capacityFor(macLimit + statics), macLimit);
        if (!table.copyLiveInto(next)) {
            throw new IllegalStateException("compacted FDB table too small");
        }
        // One volatile write publishes the compacted table to every lcore.
        table = next;
    }

    /**
     * The entries, sorted by MAC, as of roughly now.
     *
     * @param now the current second, to compute ages
     * @return a new list
     */
    public List<FdbEntry> entries(int now) {
        final List<FdbEntry> out = new ArrayList<>();
        table.forEach(now, (mac, value, age) -> {
            final boolean isStatic = (value & LearningTable.STATIC) != 0;
            out.add(new FdbEntry(mac, (int) value, isStatic, age));
        });
        out.sort(Comparator.comparingLong(FdbEntry::mac));
        return out;
    }

    /**
     * Marks the id of every VTEP some entry (learned or static) points at, in one pass over the table and without
     * building entries: what the aging of learned VTEPs needs each second, even for a large table.
     *
     * @param vtepIds where the ids are set
     */
    public void markVtepsInUse(java.util.BitSet vtepIds) {
        table.forEach(0, (mac, payload, age) -> {
            final int target = (int) (payload & ~LearningTable.STATIC);
            if (FdbTarget.isRemote(target)) {
                vtepIds.set(FdbTarget.vtepId(target));
            }
        });
    }

    /** @return learned entries now */
    public int learnedCount() {
        return table.dynamicCount();
    }

    /** @return static entries now */
    public int staticCount() {
        return table.staticCount();
    }

    /** @return the limit on learned entries */
    public int macLimit() {
        return table.dynamicLimit();
    }

    /** @return the aging time in seconds */
    public synchronized int agingSeconds() {
        return agingSeconds;
    }
}
