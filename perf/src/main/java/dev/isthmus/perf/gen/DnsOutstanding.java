package dev.isthmus.perf.gen;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The queries of one DNS stream that await an answer, by ID: the TX lcore records each query's sequence, template
 * and send time as it builds it; the RX lcore takes the entry when the response comes and checks it against the
 * template. The sequence slot is published last with a release store and read with an acquire load, so the RX side
 * sees the time and template of the query it matched. IDs wrap after 65536 queries: an answer later than that is
 * matched to the newer query (counted as out of order or a question mismatch, never as a crash).
 */
public final class DnsOutstanding {

    public static final int SLOTS = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Sequence + 1 of the query waiting under each ID; 0 for none. */
    private final long[] sequencePlusOne = new long[SLOTS];
    private final long[] sentAt = new long[SLOTS];
    private final int[] entry = new int[SLOTS];

    /** TX lcore: query {@code sequence} (ID = its low 16 bits) sent at {@code nanoTime} from template {@code e}. */
    public void sent(long sequence, int e, long nanoTime) {
        int id = (int) sequence & 0xFFFF;
        sentAt[id] = nanoTime;
        entry[id] = e;
        LONGS.setRelease(sequencePlusOne, id, sequence + 1);
    }

    /** RX lcore: the sequence + 1 waiting under {@code id} (0 for none); then read {@link #entry} and {@link #sentAt}. */
    public long take(int id) {
        long s = (long) LONGS.getAcquire(sequencePlusOne, id);
        if (s != 0) {
            LONGS.setOpaque(sequencePlusOne, id, 0L);
        }
        return s;
    }

    public int entry(int id) {
        return entry[id];
    }

    public long sentAt(int id) {
        return sentAt[id];
    }
}
