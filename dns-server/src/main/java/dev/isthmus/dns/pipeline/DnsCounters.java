package dev.isthmus.dns.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The DNS counters of one lcore: answers by transport, by RCODE and by QTYPE, truncated answers, query-log records
 * lost to a full ring. Written by that lcore only, read by any thread; {@link DnsCounterSnapshot#of} sums them.
 *
 * <p>As the dataplane's {@code LcoreCounters}: one padded {@code long[]} per lcore (no line shared with another
 * lcore), a plain read and an opaque write by the single writer, opaque reads by readers — never a locked
 * instruction in the poll loop, and a reader always sees whole values.
 */
public final class DnsCounters {

    /** RCODE slots: the 4-bit header RCODE, plus BADVERS (16, RFC 6891) and the extended ones below 24. */
    public static final int RCODES = 24;
    /**
     * QTYPE slots: types 0..258 each have their own (CAA is 257); every larger type counts in the last slot,
     * {@link #OTHER_QTYPE}.
     */
    public static final int QTYPES = 260;
    public static final int OTHER_QTYPE = QTYPES - 1;

    /** Whole-lcore counters. */
    public enum Counter {
        /** Responses sent (any RCODE). */
        ANSWERED,
        /** Responses over IPv4. */
        ANSWERED_IPV4,
        /** Responses over IPv6. */
        ANSWERED_IPV6,
        /** Responses with TC set: the client should retry over TCP (RFC 7766 §5). */
        TRUNCATED,
        /** Query-log or per-second records dropped because the log ring was full. */
        LOG_DROPPED,
        /** Responses the lcore's packet cache gave (counted in {@link #ANSWERED} too). */
        ANSWERED_FROM_CACHE,
        /** Responses response-rate limiting dropped (not sent). */
        RATE_LIMITED,
        /** Responses response-rate limiting sent truncated instead of dropping them (the slip; in TRUNCATED too). */
        SLIPPED,
        /** Queries with a valid server cookie (RFC 7873 §5.2.4): exempt from rate limiting. */
        COOKIE_VALID
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 16 longs = 128 bytes each side: more than a cache line (and its adjacent-line prefetch pair) wherever it starts. */
    private static final int PAD = 16;
    private static final int RCODE_BASE = PAD + Counter.values().length;
    private static final int QTYPE_BASE = RCODE_BASE + RCODES;
    private static final int SIZE = QTYPE_BASE + QTYPES + PAD;

    private final String lcoreName;
    private final long[] values = new long[SIZE];

    public DnsCounters(String lcoreName) {
        this.lcoreName = lcoreName;
    }

    public String lcoreName() {
        return lcoreName;
    }

    // ---- writer side: the owning lcore only ----

    private void add(int index, long delta) {
        SLOT.setOpaque(values, index, values[index] + delta);
    }

    public void increment(Counter counter) {
        add(PAD + counter.ordinal(), 1);
    }

    /** Counts one response with its RCODE (extended included) and its query's QTYPE. */
    public void answered(int rcode, int qtype, boolean ipv6, boolean truncated) {
        answeredOver(ipv6 ? 0 : 1, ipv6 ? 1 : 0);
        answeredWith(rcode, qtype, truncated);
    }

    /**
     * Counts one response by RCODE (extended included), QTYPE and TC, but not in {@link Counter#ANSWERED} and the
     * transport counters: the data plane adds those once per burst ({@link #answeredOver}).
     */
    public void answeredWith(int rcode, int qtype, boolean truncated) {
        if (truncated) {
            add(PAD + Counter.TRUNCATED.ordinal(), 1);
        }
        add(RCODE_BASE + (rcode >= 0 && rcode < RCODES ? rcode : 0), 1);
        add(QTYPE_BASE + qtypeSlot(qtype), 1);
    }

    /** Counts responses over IPv4 and IPv6 in {@link Counter#ANSWERED} and the transport counters. */
    public void answeredOver(int ipv4, int ipv6) {
        add(PAD + Counter.ANSWERED.ordinal(), ipv4 + ipv6);
        add(PAD + Counter.ANSWERED_IPV4.ordinal(), ipv4);
        add(PAD + Counter.ANSWERED_IPV6.ordinal(), ipv6);
    }

    /** The slot a QTYPE counts in. */
    public static int qtypeSlot(int qtype) {
        return qtype >= 0 && qtype < OTHER_QTYPE ? qtype : OTHER_QTYPE;
    }

    // ---- reader side: any thread ----

    public long get(Counter counter) {
        return (long) SLOT.getOpaque(values, PAD + counter.ordinal());
    }

    public long rcode(int rcode) {
        return (long) SLOT.getOpaque(values, RCODE_BASE + rcode);
    }

    /** Count of the QTYPE slot {@code slot} (see {@link #qtypeSlot}). */
    public long qtype(int slot) {
        return (long) SLOT.getOpaque(values, QTYPE_BASE + slot);
    }
}
