package dev.isthmus.dns.rrl;

import java.util.Arrays;

/**
 * One lcore's rate-limiting state: a fixed-size, 4-way set-associative table of token buckets keyed by (client
 * prefix, response kind, accounted name), as the RRL technical note and BIND's {@code rrl.c} keep them.
 *
 * <p>Each entry holds a balance of responses. Every second an entry is seen again, it is credited {@code rate} per
 * elapsed second, up to {@code rate}; every response debits one. A response finding the balance at zero or below is
 * not sent — and the debit still happens, down to {@code -window * rate}: a prefix that keeps flooding stays
 * limited, and one that stops is served again within {@code window} seconds. Of the responses not sent, every
 * {@code slip}th goes out truncated instead ({@link #SLIP}), so that a legitimate client sharing the prefix with a
 * spoofed flood retries over TCP and is answered there (a spoofer cannot complete a TCP handshake).
 *
 * <p>A key is a 64-bit hash; two keys colliding share a bucket (with 2^-64 odds, negligible). When a set is full
 * the entry seen least recently is replaced, so an attacker spraying many keys can evict the entry of one being
 * limited — that entry then starts over with a full balance, a bounded leak of {@code rate} responses.
 *
 * <p>Owned by one lcore: plain fields, no allocation, no lock after construction.
 */
public final class RateLimitTable {

    /** Send the response. */
    public static final int SEND = 0;
    /** Drop the response: the limit is exceeded. */
    public static final int DROP = 1;
    /** Send the response truncated (TC=1, no records): the limit is exceeded and this one is the slip. */
    public static final int SLIP = 2;

    /** Entries per lcore by default: 64 Ki (16 bytes each, 1 MiB). */
    public static final int DEFAULT_ENTRIES = 1 << 16;
    private static final int WAYS = 4;
    /** Longs per set: the 4 keys, then the 4 states — 64 bytes, one cache line when aligned. */
    private static final int SET_LONGS = 2 * WAYS;
    /** The lowest balance a state holds (24 bits, signed). */
    static final int MIN_BALANCE = -(1 << 23) + 1;

    /**
     * Per set: keys, then states. A state packs the entry's last second (high 32 bits), its count of dropped
     * responses towards the next slip (8 bits) and its balance (low 24 bits, signed).
     */
    private final long[] sets;
    private final int setMask;

    /** @param entries a power of two, at least 4 */
    public RateLimitTable(int entries) {
        if (entries < WAYS || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, at least " + WAYS + ": " + entries);
        }
        sets = new long[entries * 2];
        setMask = entries / WAYS - 1;
    }

    private static long state(int second, int drops, int balance) {
        return ((long) second << 32) | ((long) (drops & 0xFF) << 24) | (balance & 0xFF_FFFFL);
    }

    private static int second(long state) {
        return (int) (state >>> 32);
    }

    private static int drops(long state) {
        return (int) (state >>> 24) & 0xFF;
    }

    private static int balance(long state) {
        return ((int) state << 8) >> 8; // sign-extend 24 bits
    }

    /**
     * The key of one accounting entry.
     *
     * @param prefixHigh the client's masked address (IPv4 in the low 32 bits), or the high half of an IPv6 one
     * @param prefixLow  the low half of a masked IPv6 address, 0 for IPv4
     * @param ipv6       whether the client is IPv6 (an IPv4 and an IPv6 prefix never share an entry)
     * @param kind       {@link ResponseClass#kind()}
     * @param nameHash   {@link ResponseClass#nameHash()}
     */
    public static long key(long prefixHigh, long prefixLow, boolean ipv6, int kind, int nameHash) {
        long h = mix(prefixHigh ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ prefixLow);
        h = mix(h ^ (((long) kind << 33) | (ipv6 ? 1L << 32 : 0) | (nameHash & 0xFFFF_FFFFL)));
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    /** The 64-bit finalizer of MurmurHash3: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /**
     * Accounts one response.
     *
     * @param key    {@link #key}
     * @param second the current time in whole seconds (any origin, increasing)
     * @param policy the limits in force (enabled)
     * @return {@link #SEND}, {@link #DROP} or {@link #SLIP}
     */
    public int account(long key, int second, RrlPolicy policy) {
        final long[] sets = this.sets;
        final int base = ((int) (key >>> 40) & setMask) * SET_LONGS;
        int slot = -1;
        int oldest = base;
        for (int w = base; w < base + WAYS; w++) {
            if (sets[w] == key) {
                slot = w;
                break;
            }
            if (sets[w] == 0) {
                oldest = w;
                break;
            }
            if (second(sets[w + WAYS]) - second(sets[oldest + WAYS]) < 0) {
                oldest = w;
            }
        }
        final int rate = policy.rate;
        if (slot < 0) {
            sets[oldest] = key;
            sets[oldest + WAYS] = state(second, 0, rate - 1);
            return SEND;
        }
        final long st = sets[slot + WAYS];
        int balance = balance(st);
        int drops = drops(st);
        final int elapsed = second - second(st);
        if (elapsed > 0) {
            // Credit per second; beyond window + 1 seconds the balance is full whatever the debt was.
            final long credit = (long) Math.min(elapsed, policy.window + 1) * rate;
            balance = (int) Math.min(rate, balance + credit);
        }
        if (balance > 0) {
            sets[slot + WAYS] = state(second, drops, balance - 1);
            return SEND;
        }
        balance = Math.max(balance - 1, policy.floor);
        final int slip = policy.slip;
        int verdict = DROP;
        if (slip > 0 && ++drops >= slip) {
            drops = 0;
            verdict = SLIP;
        }
        sets[slot + WAYS] = state(elapsed > 0 ? second : second(st), drops, balance);
        return verdict;
    }

    /** Forgets every entry (the table's memory stays). */
    public void clear() {
        Arrays.fill(sets, 0);
    }
}
