package dev.isthmus.perf.gen;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stream's counters: {@link #SENT} written by the TX lcore, the others by the RX lcore, each slot by one thread
 * only (opaque stores, as the data plane's {@code LcoreCounters}), read by the reporting thread at any time. The TX
 * and RX slots sit 128 bytes apart so that the two lcores do not share a cache line.
 */
public final class StreamCounters {

    public static final int SENT = 0;
    /** Packets the TX lcore gave up on: the mempool was empty when it allocated a burst. */
    public static final int NO_MBUF = 1;
    private static final int RX = 16;
    public static final int RECEIVED = RX;
    public static final int OUT_OF_ORDER = RX + 1;
    public static final int DUPLICATED = RX + 2;
    /** Sums of |latency(i) - latency(i-1)| and how many such pairs: the mean is the jitter reported. */
    public static final int JITTER_SUM = RX + 3;
    public static final int JITTER_COUNT = RX + 4;
    /** DNS responses whose ID has no query outstanding (answered twice, or never asked). */
    public static final int DNS_UNMATCHED = RX + 5;
    /** DNS responses whose ID matched but whose echoed question differs (RFC 1035 §4.1.2). */
    public static final int DNS_QUESTION = RX + 6;
    /** DNS responses with another RCODE than the profile expects. */
    public static final int DNS_RCODE = RX + 7;
    /** DNS responses with another answer count than the profile expects. */
    public static final int DNS_ANSWERS = RX + 8;
    /** DNS messages too short, or without QR set. */
    public static final int DNS_MALFORMED = RX + 9;
    private static final int SLOTS = RX + 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[SLOTS + 16];

    public void add(int slot, long delta) {
        int i = slot + 8;
        SLOT.setOpaque(values, i, values[i] + delta);
    }

    public void increment(int slot) {
        add(slot, 1);
    }

    public long get(int slot) {
        return (long) SLOT.getOpaque(values, slot + 8);
    }
}
