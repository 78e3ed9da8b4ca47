package dev.isthmus.vswitch.fdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed-capacity concurrent hash table from a key of at most 62 bits to a non-zero 64-bit value and a timestamp in
 * seconds, learned from poll-mode lcores without locks and maintained (aged, compacted) by one control thread.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over one {@code long[]}; slot {@code i} occupies four longs
 * from {@code 4*i}: the key (with {@link #OCCUPIED} set, 0 when the slot was never used), the value (0 when
 * absent), the last-seen second, and a spare long that keeps two slots per 64-byte cache line. The index comes from
 * multiply-shift hashing with a random odd multiplier per table, so an attacker choosing MAC addresses cannot aim
 * for one probe chain.
 *
 * <p><b>Concurrency protocol.</b>
 * <ul>
 *   <li>A key slot only ever goes from 0 to a key, by CAS, and never changes again while this table lives. Two
 *   lcores inserting one key probe the same sequence, so the loser of the CAS finds the winner's key at that slot:
 *   no duplicates without locks.</li>
 *   <li>A value goes between 0 ("absent": never set, aged out, flushed) and non-zero values by CAS only, so a
 *   learner and the ager never overwrite each other's decision blindly. A key whose value is 0 is a dead key: a
 *   lookup misses, and learning the same key again revives the slot.</li>
 *   <li>The learned-entry count is reserved before a value goes from 0 to non-zero and given back if that CAS
 *   fails, so the limit holds exactly under concurrent learning.</li>
 *   <li>Dead keys are reclaimed only by building a new table from the live entries ({@link #copyLiveInto}) and
 *   publishing it; that is the owner's job ({@link Fdb}).</li>
 *   <li>The timestamp is advisory: written with release semantics before the value CAS that makes it visible, and
 *   refreshed at most once a second per entry so steady-state traffic only reads the table.</li>
 * </ul>
 *
 * <p>Control-side methods (those documented "control thread only") must be serialised by the caller.
 */
public final class LearningTable {

    /** Marks a used key slot, so that key 0 (e.g. MAC 00:00:00:00:00:00 or IPv4 0.0.0.0) stays distinguishable. */
    static final long OCCUPIED = 1L << 62;
    /** Value bit of a static entry: learning never moves or ages it. */
    public static final long STATIC = 1L << 62;
    /** Largest key the table accepts. */
    public static final long MAX_KEY = OCCUPIED - 1;
    /** Smallest capacity, so a table always keeps free slots that end probe chains. */
    public static final int MIN_CAPACITY = 64;

    private static final int STRIDE = 4;
    private static final int VALUE = 1;
    private static final int STAMP = 2;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;
    private final int mask;
    private final int shift;
    private final long multiplier;
    private final int claimLimit;
    private final int dynamicLimit;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger dynamicCount = new AtomicInteger();
    /** Written by the control thread only; volatile so counters can be read from anywhere. */
    private volatile int staticCount;

    /**
     * @param capacity number of slots, a power of two of at least {@link #MIN_CAPACITY}
     * @param dynamicLimit most learned (non-static) entries at once
     */
    public LearningTable(int capacity, int dynamicLimit) {
        if (capacity < MIN_CAPACITY || Integer.bitCount(capacity) != 1 || capacity > (1 << 26)) {
            throw new IllegalArgumentException("capacity must be a power of two in [64, 2^26]: " + capacity);
        }
        if (dynamicLimit < 0) {
            throw new IllegalArgumentException("negative limit " + dynamicLimit);
        }
        this.slots = new long[capacity * STRIDE];
        this.mask = capacity - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.multiplier = ThreadLocalRandom.current().nextLong() | 1L;
        // Keep a quarter of the slots free: probe chains stay short and every lookup ends at an empty slot.
        this.claimLimit = capacity - capacity / 4;
        this.dynamicLimit = dynamicLimit;
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

    private int home(long key) {
        return (int) ((key * multiplier) >>> shift);
    }

    /**
     * Looks a key up; safe from any thread, never blocks, never allocates.
     *
     * @param key the key, at most {@link #MAX_KEY}
     * @return the value, or 0 when absent
     */
    public long get(long key) {
        final long[] s = slots;
        final int m = mask;
        final long wanted = key | OCCUPIED;
        int i = home(key);
        for (int probe = 0; probe <= m; probe++) {
            final int at = i * STRIDE;
            final long found = (long) SLOTS.getAcquire(s, at);
            if (found == wanted) {
                return (long) SLOTS.getAcquire(s, at + VALUE);
            }
            if (found == 0) {
                return 0;
            }
            i = (i + 1) & m;
        }
        return 0;
    }

    /**
     * Loads the home slot of {@code key} so that a lookup or learn of it a little later finds it in cache: called for
     * every packet of a frame before any is processed, the loads of a whole frame overlap in the memory system
     * instead of each waiting its turn (VPP prefetches the same way). A plain read; the result means nothing.
     *
     * @param key the key about to be looked up
     * @return the word read, to be folded into a sink so that the load is not optimised away
     */
    public long touch(long key) {
        return slots[home(key) * STRIDE];
    }

    /**
     * Learns that {@code key} is bound to {@code value} as of second {@code now}; safe from any number of threads.
     *
     * @param key the key, at most {@link #MAX_KEY}
     * @param value the non-zero value, without {@link #STATIC}
     * @param now the current second on the clock the ager uses
     * @return a {@link LearnOutcome} constant
     */
    public int learn(long key, long value, int now) {
        final long[] s = slots;
        final int m = mask;
        final long wanted = key | OCCUPIED;
        int i = home(key);
        for (int probe = 0; probe <= m; probe++) {
            final int at = i * STRIDE;
            long found = (long) SLOTS.getAcquire(s, at);
            if (found == 0) {
                if (claimed.get() >= claimLimit) {
                    return LearnOutcome.TABLE_FULL;
                }
                // Reserve the entry before claiming a key, so a flood of new MACs beyond the limit leaves no
                // dead keys behind.
                if (!reserveDynamic()) {
                    return LearnOutcome.LIMIT_REACHED;
                }
                if (SLOTS.compareAndSet(s, at, 0L, wanted)) {
                    claimed.incrementAndGet();
                    SLOTS.setRelease(s, at + STAMP, (long) now);
                    // Another lcore may have found our key already and raced us for the value: then it owns it.
                    if (SLOTS.compareAndSet(s, at + VALUE, 0L, value)) {
                        return LearnOutcome.LEARNED;
                    }
                    dynamicCount.decrementAndGet();
                    return update(s, at, value, now);
                }
                dynamicCount.decrementAndGet();
                found = (long) SLOTS.getAcquire(s, at);
            }
            if (found == wanted) {
                return update(s, at, value, now);
            }
            i = (i + 1) & m;
        }
        return LearnOutcome.TABLE_FULL;
    }

    private int update(long[] s, int at, long value, int now) {
        for (;;) {
            final long current = (long) SLOTS.getAcquire(s, at + VALUE);
            if (current == 0) {
                if (!reserveDynamic()) {
                    return LearnOutcome.LIMIT_REACHED;
                }
                SLOTS.setRelease(s, at + STAMP, (long) now);
                if (SLOTS.compareAndSet(s, at + VALUE, 0L, value)) {
                    return LearnOutcome.LEARNED;
                }
                dynamicCount.decrementAndGet();
                continue;
            }
            if ((current & ~STATIC) == value) {
                // The common case: a known station talking. Write only when the second changed, so steady traffic
                // keeps the cache line shared between lcores.
                if ((current & STATIC) == 0 && (long) SLOTS.getOpaque(s, at + STAMP) != now) {
                    SLOTS.setOpaque(s, at + STAMP, (long) now);
                }
                return LearnOutcome.HIT;
            }
            if ((current & STATIC) != 0) {
                return LearnOutcome.STATIC_CONFLICT;
            }
            SLOTS.setRelease(s, at + STAMP, (long) now);
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
     * Binds {@code key} to {@code value} as a static entry, replacing any learned binding. Control thread only.
     *
     * @param key the key
     * @param value the non-zero value, without {@link #STATIC}
     * @return false when no slot is free (the owner must rebuild with a larger capacity first)
     */
    public boolean putStatic(long key, long value) {
        final int at = findOrClaim(key);
        if (at < 0) {
            return false;
        }
        for (;;) {
            final long current = (long) SLOTS.getAcquire(slots, at + VALUE);
            if (SLOTS.compareAndSet(slots, at + VALUE, current, value | STATIC)) {
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
     * @return the value removed (with {@link #STATIC} if it was static), or 0 if there was none
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
                return current;
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

    /**
     * Removes every learned (non-static) entry last seen {@code maxAge} seconds or more before {@code now}. An entry
     * refreshed by an lcore between the read of its timestamp and the removal is removed anyway and relearned on
     * its next frame, the same as an entry that aged a second later. Control thread only.
     *
     * @param now the current second
     * @param maxAge the age in seconds at which an entry goes
     * @param removed receives each removed key and value; may be null
     * @return how many entries were removed
     */
    public int age(int now, int maxAge, EntryVisitor removed) {
        int count = 0;
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value == 0 || (value & STATIC) != 0) {
                continue;
            }
            final int seen = (int) (long) SLOTS.getAcquire(s, at + STAMP);
            if (now - seen >= maxAge && SLOTS.compareAndSet(s, at + VALUE, value, 0L)) {
                dynamicCount.decrementAndGet();
                count++;
                if (removed != null) {
                    removed.visit(((long) SLOTS.getAcquire(s, at)) & ~OCCUPIED, value, seen);
                }
            }
        }
        return count;
    }

    /**
     * Removes every entry whose value the filter selects. Control thread only.
     *
     * @param filter chooses by value (with {@link #STATIC} set for static entries)
     * @return how many entries were removed
     */
    public int removeIf(ValueFilter filter) {
        int count = 0;
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value != 0 && filter.test(value) && SLOTS.compareAndSet(s, at + VALUE, value, 0L)) {
                forget(value);
                count++;
            }
        }
        return count;
    }

    /**
     * Visits every live entry: a consistent view of each entry, not of the table as a whole. Any thread.
     *
     * @param visitor receives key, value (with {@link #STATIC} for static entries) and last-seen second
     */
    public void forEach(EntryVisitor visitor) {
        final long[] s = slots;
        for (int at = 0; at < s.length; at += STRIDE) {
            final long key = (long) SLOTS.getAcquire(s, at);
            if (key == 0) {
                continue;
            }
            final long value = (long) SLOTS.getAcquire(s, at + VALUE);
            if (value != 0) {
                visitor.visit(key & ~OCCUPIED, value, (int) (long) SLOTS.getAcquire(s, at + STAMP));
            }
        }
    }

    /**
     * Copies every live entry into {@code target}, which nobody else may use yet; learned entries beyond the
     * target's limit are left out. Control thread only.
     *
     * @param target a fresh table
     * @return false if the target ran out of slots
     */
    public boolean copyLiveInto(LearningTable target) {
        final boolean[] fits = {true};
        forEach((key, value, seen) -> {
            final int at = target.findOrClaim(key);
            if (at < 0) {
                fits[0] = false;
                return;
            }
            if ((value & STATIC) == 0) {
                if (!target.reserveDynamic()) {
                    return;
                }
            } else {
                target.staticCount = target.staticCount + 1;
            }
            target.slots[at + STAMP] = seen;
            SLOTS.setRelease(target.slots, at + VALUE, value);
        });
        return fits[0];
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
         * @param value the value, with {@link #STATIC} set for a static entry
         * @param lastSeen the second it was last learned or refreshed
         */
        void visit(long key, long value, int lastSeen);
    }

    /** Chooses entries by value. */
    @FunctionalInterface
    public interface ValueFilter {
        /**
         * @param value the value, with {@link #STATIC} set for a static entry
         * @return true to select
         */
        boolean test(long value);
    }
}
