package dev.isthmus.perf.gen;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the RX lcore keeps of one stream: the highest sequence seen and a window of the last
 * {@value #WINDOW} sequences received (to tell a late packet from a duplicate), and the latency recorder
 * (HdrHistogram's {@link SingleWriterRecorder}: the RX lcore records without allocating or locking, the reporting
 * thread takes interval histograms).
 */
final class RxStream {

    /** Sequences remembered behind the highest: a packet later than that counts as out of order, never duplicate. */
    static final int WINDOW = 1 << 16;
    /** Latencies above this are recorded as this (a minute, in nanoseconds): the histogram's range. */
    static final long MAX_LATENCY = 60_000_000_000L;

    final StreamCounters counters;
    final boolean recordLatency;
    final SingleWriterRecorder latency;
    private final long[] seen = new long[WINDOW / 64];
    /** Next sequence expected: one above the highest received. */
    private long next;
    private long lastLatency = -1;

    RxStream(StreamCounters counters, boolean recordLatency) {
        this.counters = counters;
        this.recordLatency = recordLatency;
        this.latency = new SingleWriterRecorder(1, MAX_LATENCY, 3);
    }

    /** The full sequence of a packet whose signature carries its low 32 bits, nearest to the highest seen. */
    long extend(int low32) {
        return next + (int) (low32 - (int) next);
    }

    /**
     * Accounts a packet with this sequence: received, out of order, or duplicated.
     *
     * @return false for a duplicate (the caller records no latency for it)
     */
    boolean sequence(long s) {
        if (s < 0) {
            counters.increment(StreamCounters.OUT_OF_ORDER);
            counters.increment(StreamCounters.RECEIVED);
            return true;
        }
        if (s >= next) {
            if (s - next >= WINDOW) {
                java.util.Arrays.fill(seen, 0L);
            } else {
                for (long k = next; k < s; k++) {
                    seen[(int) (k >>> 6) & (seen.length - 1)] &= ~(1L << k);
                }
            }
            seen[(int) (s >>> 6) & (seen.length - 1)] |= 1L << s;
            next = s + 1;
            counters.increment(StreamCounters.RECEIVED);
            return true;
        }
        if (next - s > WINDOW) {
            counters.increment(StreamCounters.OUT_OF_ORDER);
            counters.increment(StreamCounters.RECEIVED);
            return true;
        }
        int word = (int) (s >>> 6) & (seen.length - 1);
        long bit = 1L << s;
        if ((seen[word] & bit) != 0) {
            counters.increment(StreamCounters.DUPLICATED);
            return false;
        }
        seen[word] |= bit;
        counters.increment(StreamCounters.OUT_OF_ORDER);
        counters.increment(StreamCounters.RECEIVED);
        return true;
    }

    void latency(long nanos) {
        if (!recordLatency) {
            return;
        }
        long v = nanos < 1 ? 1 : Math.min(nanos, MAX_LATENCY);
        latency.recordValue(v);
        if (lastLatency >= 0) {
            counters.add(StreamCounters.JITTER_SUM, Math.abs(v - lastLatency));
            counters.increment(StreamCounters.JITTER_COUNT);
        }
        lastLatency = v;
    }

    /** The reporting thread's previous interval histogram, handed back to the recorder for reuse. */
    private Histogram recycle;

    /** Reporting thread: adds the latencies recorded since the last call to {@code total}. */
    void addIntervalTo(Histogram total) {
        Histogram interval = latency.getIntervalHistogram(recycle);
        total.add(interval);
        recycle = interval;
    }
}
