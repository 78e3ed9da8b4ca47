package dev.isthmus.dns.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A single-producer single-consumer ring of fixed-size records in one {@code byte[]}: the lcore writes query-log
 * and per-second records into it, the logger thread reads them. Nothing is allocated per record, and a full ring
 * refuses the record ({@link #claim} returns -1) instead of waiting — the lcore counts the loss and goes on.
 *
 * <p>The protocol is Lamport's SPSC queue as JCTools' {@code SpscArrayQueue} and Agrona's {@code OneToOneRingBuffer}
 * write it: the producer owns {@code tail}, the consumer owns {@code head}; each publishes its index with a release
 * store and reads the other's with an acquire load, so record bytes written before {@link #publish} are visible to
 * the consumer that sees the new tail. The producer caches the last head it read and re-reads it only when the
 * ring looks full. Hot indices sit on their own cache lines (padding fields around them).
 *
 * <p>Naming as JCTools: {@code lv}/{@code sv} acquire/release (volatile-ordered) access, {@code lp}/{@code sp} plain.
 */
final class LogRing {

    /** Bytes per record: a 16-byte header, the client address, and a whole DNS name (255 octets) with room to spare. */
    static final int RECORD_BYTES = 320;
    /** The most bytes a record may have (with dnstap, the query and response messages follow the 320). */
    static final int MAX_RECORD_BYTES = RECORD_BYTES + (1 << 16);

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(LogRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(LogRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] records;
    private final long mask;
    private final int recordBytes;

    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    /** Next record the producer writes; written by the producer only. */
    private volatile long tail;
    /** The producer's last view of head (plain: producer only). */
    private long headCache;
    @SuppressWarnings("unused")
    private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
    /** Next record the consumer reads; written by the consumer only. */
    private volatile long head;
    @SuppressWarnings("unused")
    private long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;

    LogRing(int slots) {
        this(slots, RECORD_BYTES);
    }

    /** @param recordBytes bytes per record, {@link #RECORD_BYTES} or more (dnstap keeps whole messages) */
    LogRing(int slots, int recordBytes) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slots);
        }
        if (recordBytes < RECORD_BYTES || recordBytes > MAX_RECORD_BYTES
                || (long) slots * recordBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("records of " + recordBytes + " bytes in " + slots + " slots");
        }
        this.records = new byte[slots * recordBytes];
        this.mask = slots - 1;
        this.recordBytes = recordBytes;
    }

    /** Bytes per record. */
    int recordBytes() {
        return recordBytes;
    }

    byte[] bytes() {
        return records;
    }

    int capacity() {
        return (int) (mask + 1);
    }

    // ---- producer ----

    /**
     * The byte offset of the next free record, or -1 when the ring is full. Write the record there, then call
     * {@link #publish()}; claiming again before publishing returns the same record.
     */
    int claim() {
        final long t = (long) TAIL.get(this); // lp: only this thread writes tail
        if (t - headCache > mask) {
            headCache = (long) HEAD.getAcquire(this); // lv: see how far the consumer got
            if (t - headCache > mask) {
                return -1;
            }
        }
        return (int) (t & mask) * recordBytes;
    }

    /** Makes the claimed record visible to the consumer. */
    void publish() {
        // sv (release): the record's bytes, written before, become visible no later than the new tail.
        TAIL.setRelease(this, (long) TAIL.get(this) + 1);
    }

    // ---- consumer ----

    /** How many records are ready to read, from {@link #readOffset(long)} of {@link #head()} onwards. */
    long available() {
        return (long) TAIL.getAcquire(this) - (long) HEAD.get(this); // lv tail: pairs with publish's release
    }

    long head() {
        return (long) HEAD.get(this);
    }

    int readOffset(long index) {
        return (int) (index & mask) * recordBytes;
    }

    /** Frees the records before {@code newHead} for the producer. */
    void release(long newHead) {
        // sv (release): reads of the freed records happen before the producer may overwrite them.
        HEAD.setRelease(this, newHead);
    }
}
