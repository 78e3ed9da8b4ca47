package dev.isthmus.vswitch.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed-capacity concurrent hash table from a key of at most 62 bits to a non-zero payload and a last-seen time,
 * learned from poll-mode lcores without locks and maintained (aged, compacted) by one control thread.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over one {@code long[]}; slot {@code i} is two longs from
 * {@code 2*i}, four slots per 64-byte cache line: the key (with {@link #OCCUPIED} set; 0 when the slot was never
 * used) and the value:
 * <pre>
 *  63   62    61 .. payloadBits          payloadBits-1 .. 0
 * +---+------+-------------------------+--------------------+
 * | 0 |STATIC| last seen, in ticks     | payload (non-zero) |     value 0 = absent
 * +---+------+-------------------------+--------------------+
 * </pre>
 * The last-seen time lives in the value so that a lookup and a learn each read one word, and a refresh is one CAS.
 * It counts ticks of {@code 2^tickShift} seconds modulo its width: FDB entries (32-bit payload) keep seconds in 30
 * bits; ARP bindings (48-bit MAC payload) keep 16-second ticks in 13 bits, a 36-hour wrap, beyond any aging time.
 * The index comes from multiply-shift hashing with a random odd multiplier per table, so an attacker choosing MAC
 * addresses cannot aim at one probe chain.
 *
 * <p><b>Concurrency protocol.</b>
 * <ul>
 *   <li>A key slot only ever goes from 0 to a key, by CAS, and never changes again while this table lives. Two
 *   lcores inserting one key probe the same sequence, so the loser of the CAS finds the winner's key at that slot:
 *   no duplicates without locks.</li>
 *   <li>A value changes by CAS only — created (0 to non-zero), refreshed, moved, aged or flushed (to 0) — so a
 *   learner and the ager never overwrite each other's decision blindly. A key whose value is 0 is a dead key: a
 *   lookup misses, and learning the same key again revives the slot.</li>
 *   <li>The learned-entry count is reserved before a value goes from 0 to non-zero and given back if that CAS
 *   fails, so the limit holds exactly under concurrent learning; a key is claimed only after a reservation, so a
 *   flood of new keys beyond the limit leaves no dead keys behind.</li>
 *   <li>Dead keys are reclaimed only by building a new table from the live entries ({@link #copyLiveInto}) and
 *   publishing it; that is the owner's job ({@link Fdb}).</li>
 *   <li>Steady traffic only reads: a known key is written at most once per tick, when its time changes.</li>
 *   <li>The data path reads slots with opaque loads (atomic, never hoisted, no fence): a key never changes once
 *   written, and a value read a moment stale is either acted on by CAS (which then sees the current one) or, in a
 *   lookup, forwards by the binding of a moment ago, as any switch does while an entry moves.</li>
 * </ul>
 *
 * <p>Control-side methods (those documented "control thread only") must be serialised by the caller.
 */
public final class LearningTable {
    /**
     * Non-zero only in the deterministic fuzz run ({@code -Disthmus.fdb.hashSeed}, set by VswitchStageFuzzTest): the
     * multipliers then follow from it and the order tables are made in, so the same inputs take the same probe
     * chains and libFuzzer sees the same coverage on every run. Never set in the appliance.
     */
    private static final long HASH_SEED = Long.getLong("isthmus.fdb.hashSeed", 0L);
    private static final AtomicLong TABLES = new AtomicLong();

    /** Marks a used key slot, so that key 0 (e.g. MAC 00:00:00:00:00:00 or IPv4 0.0.0.0) stays distinguishable. */
    static final long OCCUPIED = 1L << 62;
    /** Value bit of a static entry: learning never moves or ages it. */
    public static final long STATIC = 1L << 62;
    /** Largest key the table accepts. */
    public static final long MAX_KEY = OCCUPIED - 1;
    /** Smallest capacity, so a table always keeps free slots that end probe chains. */
    public static final int MIN_CAPACITY = 64;

    private static final int STRIDE = 2;
    private static final int VALUE = 1;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final int mask;
    private final int shift;
    private final long multiplier;
    private final int claimLimit;
    private final int dynamicLimit;
    private final int payloadBits;
    private final long payloadMask;
    private final int tickShift;
    private final long tickMask;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger dynamicCount = new AtomicInteger();
    /** Written by the control thread only; volatile so counters can be read from anywhere. */
    private volatile int staticCount;

    /**
     * @param capacity number of slots, a power of two of at least {@link #MIN_CAPACITY}
     * @param dynamicLimit most learned (non-static) entries at once
     * @param payloadBits bits of payload in each value (at most 56)
     * @param tickShift a tick of the last-seen time is {@code 2^tickShift} seconds
     */
    public LearningTable(int capacity, int dynamicLimit, int payloadBits, int tickShift) {
        if (capacity < MIN_CAPACITY || Integer.bitCount(capacity) != 1 || capacity > (1 << 26)) {
            throw new IllegalArgumentException("capacity must be a power of two in [64, 2^26]: " + capacity);
        }
        if (dynamicLimit < 0) {
            throw new IllegalArgumentException("negative limit " + dynamicLimit);
        }
        if (payloadBits < 1 || payloadBits > 56 || tickShift < 0 || tickShift > 16) {
            throw new IllegalArgumentException("payload bits in [1, 56], tick shift in [0, 16]");
        }
        this.slots = new long[capacity * STRIDE];
        this.mask = capacity - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.multiplier = (HASH_SEED != 0 ? new SplittableRandom(HASH_SEED + TABLES.getAndIncrement()).nextLong()
                : ThreadLocalRandom.current().nextLong()) | 1L;
        // Keep a quarter of the slots free: probe chains stay short and every lookup ends at an empty slot.
        this.claimLimit = capacity - capacity / 4;
        this.dynamicLimit = dynamicLimit;
        this.payloadBits = payloadBits;
        this.payloadMask = (1L << payloadBits) - 1;
        this.tickShift = tickShift;
        this.tickMask = (1L << (62 - payloadBits)) - 1;
    }

    /**
     * The smallest valid capacity that holds {@code entries} live entries at most half full.
     *
     * @param entries live entries to hold
     * @return a power of two of at least {@link #MIN_CAPACITY}
     */
    public static int capacityFor(int entries) {
        long want = Math.max(MIN_CAPACITY, 2L * entries);
        return (int) Math.min(1 << 26, Long.highestOneBit(want - 1) << 1);
    }

    /**
     * @param capacity the new table's number of slots
     * @param limit the new table's limit on learned entries
     * @return an empty table with this one's payload width and tick, to {@link #copyLiveInto}
     */
    public LearningTable emptyLike(int capacity, int limit) {
        return new LearningTable(capacity, limit, payloadBits, tickShift);
    }

    private int home(long key) {
        return (int) ((key * multiplier) >>> shift);
    }

    private long tick(int now) {
        return ((long) now >>> tickShift) & tickMask;
    }

    private long lastSeen(long value) {
        return (value >>> payloadBits) & tickMask;
    }

    /**
     * Looks a key up; safe from any thread, never blocks, never allocates.
     *
     * @param key the key, at most {@link #MAX_KEY}
     * @return the payload, with {@link #STATIC} set for a static entry; 0 when absent
     */
    public long get(long key) {
        final long[] s = slots;
        final int m = mask;
        final long wanted = key | OCCUPIED;
        int i = home(key);
        for (int probe = 0; probe <= m; probe++) {
            final int at = i * STRIDE;
            final long found = (long) SLOTS.getOpaque(s, at);
            if (found == wanted) {
                return (long) SLOTS.getOpaque(s, at + VALUE) & (payloadMask | STATIC);
            }
            if (found == 0) {
                return 0;
            }
            i = (i + 1) & m;
        }
        return 0;
    }

    /**
     * Learns that {@code key} is bound to {@code payload} as of second {@code now}; safe from any number of threads.
     *
     * @param key the key, at most {@link #MAX_KEY}
     * @param payload the non-zero payload
     * @param now the current second on the clock the ager uses
     * @return a {@link LearnOutcome} constant
     */
    public int learn(long key, long payload, int now) {
        final long[] s = slots;
        final int m = mask;
        final long wanted = key | OCCUPIED;
        final long value = payload | tick(now) << payloadBits;
        int i = home(key);
        for (int probe = 0; probe <= m; probe++) {
            final int at = i * STRIDE;
            long found = (long) SLOTS.getOpaque(s, at);
            if (found == 0) {
                if (claimed.get() >= claimLimit) {
                    return LearnOutcome.TABLE_FULL;
                }
                if (!reserveDynamic()) {
                    return LearnOutcome.LIMIT_REACHED;
                }
                if (SLOTS.compareAndSet(s, at, 0L, wanted)) {
                    claimed.incrementAndGet();
                    // Another lcore may have found our key already and raced us for the value: then it owns it.
                    if (SLOTS.compareAndSet(s, at + VALUE, 0L, value)) {
                        return LearnOutcome.LEARNED;
                    }
                    dynamicCount.decrementAndGet();
                    return update(s, at, payload, value);
                }
                dynamicCount.decrementAndGet();
                found = (long) SLOTS.getOpaque(s, at);
            }
            if (found == wanted) {
                // The common case, a known station talking with nothing to write (same payload, same tick, or
                // static), decided here so that the JIT keeps it inline; everything else goes to update().
                final long current = (long) SLOTS.getOpaque(s, at + VALUE);
                if (current == value || current == (payload | STATIC)) {
                    return LearnOutcome.HIT;
                }
                return update(s, at, payload, value);
            }
            i = (i + 1) & m;
        }
        return LearnOutcome.TABLE_FULL;
    }

    private int update(long[] s, int at, long payload, long value) {
        for (;;) {
            final long current = (long) SLOTS.getOpaque(s, at + VALUE);
            if (current == 0) {
                if (!reserveDynamic()) {
                    return LearnOutcome.LIMIT_REACHED;
                }
                if (SLOTS.compareAndSet(s, at + VALUE, 0L, value)) {
                    return LearnOutcome.LEARNED;
                }
                dynamicCount.decrementAndGet();
                continue;
            }
            if ((current & payloadMask) == payload) {
                // The common case: a known station talking. Write only when its tick changed, so steady traffic
                // keeps the cache line shared between lcores. A lost refresh race is harmless: someone refreshed.
                if ((current & STATIC) == 0 && current != value) {
                    SLOTS.compareAndSet(s, at + VALUE, current, value);
                }
                return LearnOutcome.HIT;
            }
            if ((current & STATIC) != 0) {
                return LearnOutcome.STATIC_CONFLICT;
            }
            if (SLOTS.compareAndSet(s, at + VALUE, current, value)) {
                return LearnOutcome.MOVED;
            }
        }
    }

    private boolean reserveDynamic() {
        for (;;) {
            final int count = dynamicCount.get();
            if (count >= dynamicLimit) {
                return false;
            }
            if (dynamicCount.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /**
     * Binds {@code key} to {@code payload} as a static entry, replacing any learned binding. Control thread only.
     *
     * @param key the key
     * @param payload the non-zero payload
     * @return false when no slot is free (the owner must rebuild with a larger capacity first)
     */
    public boolean putStatic(long key, long payload) {
        final int at = findOrClaim(key);
        if (at < 0) {
            return false;
        }
        for (;;) {
            final long current = (long) SLOTS.getAcquire(slots, at + VALUE);
            if (SLOTS.compareAndSet(slots, at + VALUE, current, (payload & payloadMask) | STATIC)) {
                if (current == 0) {
                    staticCount = staticCount + 1;
                } else if ((current & STATIC) == 0) {
                    dynamicCount.decrementAndGet();
                    staticCount = staticCount + 1;
                }
                return true;
            }
        }
    }

    /**
     * Removes the binding of {@code key}, static or learned. Control thread only.
     *
     * @param key the key
     * @return the payload removed (with {@link #STATIC} if it was static), or 0 if there was none
     */
    public long remove(long key) {
        final int at = find(key);
        if (at < 0) {
            return 0;
        }
        for (;;) {
            final long current = (long) SLOTS.getAcquire(slots, at + VALUE);
            if (current == 0) {
                return 0;
            }
            if (SLOTS.compareAndSet(slots, at + VALUE, current, 0L)) {
                forget(current);
                return current & (payloadMask | STATIC);
            }
        }
    }

    private void forget(long removedValue) {
        if ((removedValue & STATIC) != 0) {
            staticCount = staticCount - 1;
        } else {
            dynamicCount.decrementAndGet();
        }
    }

    private int ageOf(long value, int now) {
        return (int) (((tick(now) - lastSeen(value)) & tickMask) << tickShift);
    }

    /**
     * Removes every learned (non-static) entry last seen {@code maxAge} seconds or more before {@code now} (to the
     * table's tick). An entry refreshed by an lcore at the same moment survives: the CAS sees its new value.
     * Control thread only.
     *
     * @param now the current second
     * @param maxAge the age in seconds at which an entry goes
     * @return how many entries were removed
     */
    public int age(int now, int maxAge) {
        int count = 0;
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value == 0 || (value & STATIC) != 0) {
                continue;
            }
            if (ageOf(value, now) >= maxAge && SLOTS.compareAndSet(s, at + VALUE, value, 0L)) {
                dynamicCount.decrementAndGet();
                count++;
            }
        }
        return count;
    }

    /**
     * Removes every entry whose payload the filter selects. Control thread only.
     *
     * @param filter chooses by payload (with {@link #STATIC} set for static entries)
     * @return how many entries were removed
     */
    public int removeIf(ValueFilter filter) {
        int count = 0;
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value != 0 && filter.test(value & (payloadMask | STATIC))
                    && SLOTS.compareAndSet(s, at + VALUE, value, 0L)) {
                forget(value);
                count++;
            }
        }
        return count;
    }

    /**
     * Visits every live entry: a consistent view of each entry, not of the table as a whole. Any thread.
     *
     * @param now the current second, to compute ages
     * @param visitor receives key, payload (with {@link #STATIC} for static entries) and age in seconds
     */
    public void forEach(int now, EntryVisitor visitor) {
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long key = (long) SLOTS.getAcquire(s, at);
            if (key == 0) {
                continue;
            }
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value != 0) {
                final boolean isStatic = (value & STATIC) != 0;
                visitor.visit(key & ~OCCUPIED, value & (payloadMask | STATIC), isStatic ? 0 : ageOf(value, now));
            }
        }
    }

    /**
     * Copies every live entry, with its last-seen time, into {@code target}, which nobody else may use yet and
     * which has the same payload width and tick; learned entries beyond its limit are left out. Control thread only.
     *
     * @param target a fresh table
     * @return false if the target ran out of slots
     */
    public boolean copyLiveInto(LearningTable target) {
        if (target.payloadBits != payloadBits || target.tickShift != tickShift) {
            throw new IllegalArgumentException("tables differ in layout");
        }
        final long[] s = slots;
        boolean fits = true;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long key = (long) SLOTS.getAcquire(s, at);
            final long value = key == 0 ? 0 : (long) SLOTS.getAcquire(s, at + VALUE);
            if (value == 0) {
                continue;
            }
            final int to = target.findOrClaim(key & ~OCCUPIED);
            if (to < 0) {
                fits = false;
                continue;
            }
            if ((value & STATIC) == 0) {
                if (!target.reserveDynamic()) {
                    continue;
                }
            } else {
                target.staticCount = target.staticCount + 1;
            }
            SLOTS.setRelease(target.slots, to + VALUE, value);
        }
        return fits;
    }

    private int find(long key) {
        final long wanted = key | OCCUPIED;
        int i = home(key);
        for (int probe = 0; probe <= mask; probe++) {
            final int at = i * STRIDE;
            final long found = (long) SLOTS.getAcquire(slots, at);
            if (found == wanted) {
                return at;
            }
            if (found == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private int findOrClaim(long key) {
        final long wanted = key | OCCUPIED;
        int i = home(key);
        for (int probe = 0; probe <= mask; probe++) {
            final int at = i * STRIDE;
            long found = (long) SLOTS.getAcquire(slots, at);
            if (found == 0) {
                if (claimed.get() >= claimLimit) {
                    return -1;
                }
                if (SLOTS.compareAndSet(slots, at, 0L, wanted)) {
                    claimed.incrementAndGet();
                    return at;
                }
                found = (long) SLOTS.getAcquire(slots, at);
            }
            if (found == wanted) {
                return at;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** @return number of slots */
    public int capacity() {
        return mask + 1;
    }

    /** @return learned (non-static) live entries */
    public int dynamicCount() {
        return dynamicCount.get();
    }

    /** @return static entries */
    public int staticCount() {
        return staticCount;
    }

    /** @return the most learned entries this table accepts */
    public int dynamicLimit() {
        return dynamicLimit;
    }

    /** @return key slots in use, live or dead */
    public int claimedSlots() {
        return claimed.get();
    }

    /** @return whether dead keys take enough room that the owner should compact the table */
    public boolean needsCompaction() {
        final int used = claimed.get();
        final int live = dynamicCount.get() + staticCount;
        return used - live > capacity() / 8 || used >= claimLimit - capacity() / 16;
    }

    /** Receives one entry. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @param key the key
         * @param payload the payload, with {@link #STATIC} set for a static entry
         * @param ageSeconds seconds since it was last learned or refreshed (to the table's tick); 0 when static
         */
        void visit(long key, long payload, int ageSeconds);
    }

    /** Chooses entries by payload. */
    @FunctionalInterface
    public interface ValueFilter {
        /**
         * @param payload the payload, with {@link #STATIC} set for a static entry
         * @return true to select
         */
        boolean test(long payload);
    }
}
