package dev.isthmus.dns.pipeline;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Rcode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The lcore's end of its {@link LogRing}: writes a query record (one in {@code every} queries) and, once a second,
 * the lcore's counters over that second. Never blocks, never allocates; a full ring drops the record and counts
 * {@link DnsCounters.Counter#LOG_DROPPED}. Owned by one lcore.
 *
 * <p>Record layout (big-endian): {@code [0] int kind}, {@code [8] long nanoTime}, then per kind as the
 * {@code *_OFFSET} constants say. {@link QueryLogger} decodes them. On a ring with records longer than
 * {@link LogRing#RECORD_BYTES} (dnstap on), a query record also carries the server's address and, from
 * {@link #MESSAGES_OFFSET}, the query as received ({@link #captureQuery}, before the engine writes the response over
 * it) and the whole response as sent.
 */
final class QueryLogWriter {

    static final int KIND_QUERY = 1;
    static final int KIND_SECOND = 2;

    static final int KIND_OFFSET = 0;
    static final int TIME_OFFSET = 8;
    // query records
    static final int FAMILY_OFFSET = 16;
    static final int TRUNCATED_OFFSET = 17;
    static final int CLIENT_PORT_OFFSET = 18;
    static final int CLIENT_ADDRESS_OFFSET = 20;
    static final int QTYPE_OFFSET = 36;
    static final int RCODE_OFFSET = 38;
    static final int RESPONSE_LENGTH_OFFSET = 40;
    static final int QNAME_LENGTH_OFFSET = 42;
    static final int QNAME_OFFSET = 44;
    /** A wire-format name is at most 255 octets (RFC 1035 §3.1). */
    static final int QNAME_MAX = 255;
    // with messages (dnstap): the address the query was sent to, the stored lengths, then query and response bytes
    static final int SERVER_ADDRESS_OFFSET = 300;
    static final int QUERY_STORED_OFFSET = 316;
    static final int RESPONSE_STORED_OFFSET = 318;
    static final int MESSAGES_OFFSET = LogRing.RECORD_BYTES;
    /** The longest query kept whole; a longer one (rare: padding) is logged without its bytes. */
    static final int QUERY_ROOM = 512;
    // per-second records: counters' growth over the second, in this order
    static final int SECOND_COUNTS_OFFSET = 16;
    static final String[] SECOND_COUNTS = {"answered", "truncated", "noerror", "nxdomain", "refused", "formerr",
        "log_dropped"};

    private static final long SECOND = 1_000_000_000L;

    private final LogRing ring;
    private final byte[] bytes;
    private final DnsCounters counters;
    private final int every;
    /** Bytes for query and response after {@link #MESSAGES_OFFSET}; 0 when the ring keeps no messages. */
    private final int messageRoom;
    /** The claimed, unpublished record holds the query's bytes ({@link #captureQuery}). */
    private boolean captured;
    private int queryStored;
    private int untilNext;
    private long secondStart;
    private final long[] atSecondStart = new long[SECOND_COUNTS.length];

    QueryLogWriter(LogRing ring, DnsCounters counters, int every) {
        this.ring = ring;
        this.bytes = ring.bytes();
        this.counters = counters;
        this.every = every;
        this.untilNext = every;
        this.messageRoom = Math.max(0, ring.recordBytes() - MESSAGES_OFFSET);
    }

    /** The record bytes a ring needs to keep messages of {@code maxResponse} bytes (dnstap). */
    static int recordBytesForMessages(int maxResponse) {
        return MESSAGES_OFFSET + QUERY_ROOM + maxResponse;
    }

    /**
     * For a sampled query, before it is answered in place: when the ring keeps messages, claims the record and copies
     * the query into it (published later by {@link #query}, or overwritten if the packet is dropped).
     *
     * @return false when the ring is full (the loss is counted and the query goes unlogged)
     */
    boolean captureQuery(long dns, int length) {
        if (messageRoom == 0) {
            return true;
        }
        final int at = ring.claim();
        if (at < 0) {
            counters.increment(DnsCounters.Counter.LOG_DROPPED);
            return false;
        }
        queryStored = length <= QUERY_ROOM && length <= messageRoom ? length : 0;
        MemorySegment.copy(PacketMemory.ALL, ValueLayout.JAVA_BYTE, dns, bytes, at + MESSAGES_OFFSET, queryStored);
        captured = true;
        return true;
    }

    /** Whether the next {@link #sampleQuery} would return true (asks without counting the query). */
    boolean samplesNext() {
        return every != 0 && untilNext <= 1;
    }

    /** Counts a query {@link #samplesNext} said is not sampled: as {@link #sampleQuery} returning false. */
    void passOver() {
        if (every != 0) {
            untilNext--;
        }
    }

    /** True when this query should be logged (every {@code every}-th; never when the query log is off). */
    boolean sampleQuery() {
        if (every == 0) {
            return false;
        }
        if (--untilNext > 0) {
            return false;
        }
        untilNext = every;
        return true;
    }

    /**
     * Logs an answered query. The client's address is read from {@code clientAddress} (4 or 16 bytes); the name from
     * the response's question at {@code qname} (at most {@code qnameRoom} bytes readable), copied raw.
     */
    void query(long nanoTime, boolean ipv6, long clientAddress, int clientPort, int qtype, int rcode,
            boolean truncated, int responseLength, long qname, int qnameRoom) {
        query(nanoTime, ipv6, clientAddress, clientPort, 0, qtype, rcode, truncated, responseLength,
                qname - Header.LENGTH, qnameRoom + Header.LENGTH, false);
    }

    /**
     * Logs an answered query with its response at {@code dns} ({@code responseLength} bytes), kept whole when the
     * ring keeps messages; {@code serverAddress} is where the query was sent (4 or 16 bytes, 0 for unknown).
     */
    void query(long nanoTime, boolean ipv6, long clientAddress, int clientPort, long serverAddress, int qtype,
            int rcode, boolean truncated, int responseLength, long dns) {
        query(nanoTime, ipv6, clientAddress, clientPort, serverAddress, qtype, rcode, truncated, responseLength, dns,
                responseLength, true);
    }

    private void query(long nanoTime, boolean ipv6, long clientAddress, int clientPort, long serverAddress, int qtype,
            int rcode, boolean truncated, int responseLength, long dns, int dnsRoom, boolean keepResponse) {
        final long qname = dns + Header.LENGTH;
        final int qnameRoom = dnsRoom - Header.LENGTH;
        final int at = ring.claim();
        if (at < 0) {
            counters.increment(DnsCounters.Counter.LOG_DROPPED);
            return;
        }
        final byte[] b = bytes;
        LogRing.I32.set(b, at + KIND_OFFSET, KIND_QUERY);
        LogRing.I64.set(b, at + TIME_OFFSET, nanoTime);
        b[at + FAMILY_OFFSET] = (byte) (ipv6 ? 6 : 4);
        b[at + TRUNCATED_OFFSET] = (byte) (truncated ? 1 : 0);
        LogRing.I16.set(b, at + CLIENT_PORT_OFFSET, (short) clientPort);
        LogRing.I64.set(b, at + CLIENT_ADDRESS_OFFSET, PacketMemory.i64(clientAddress));
        LogRing.I64.set(b, at + CLIENT_ADDRESS_OFFSET + 8, ipv6 ? PacketMemory.i64(clientAddress + 8) : 0L);
        LogRing.I16.set(b, at + QTYPE_OFFSET, (short) qtype);
        LogRing.I16.set(b, at + RCODE_OFFSET, (short) rcode);
        LogRing.I16.set(b, at + RESPONSE_LENGTH_OFFSET, (short) responseLength);
        // The question is there only when the response kept it (error answers drop it, NSD's form).
        int length = 0;
        final int room = Math.min(qnameRoom, QNAME_MAX);
        while (length < room) {
            int label = PacketMemory.u8(qname + length);
            if (label == 0 || (label & 0xC0) != 0 || length + 1 + label >= room) {
                break;
            }
            length += 1 + label;
        }
        for (int k = 0; k < length; k++) {
            b[at + QNAME_OFFSET + k] = (byte) PacketMemory.u8(qname + k);
        }
        LogRing.I16.set(b, at + QNAME_LENGTH_OFFSET, (short) length);
        if (messageRoom > 0) {
            LogRing.I64.set(b, at + SERVER_ADDRESS_OFFSET, serverAddress == 0 ? 0L : PacketMemory.i64(serverAddress));
            LogRing.I64.set(b, at + SERVER_ADDRESS_OFFSET + 8,
                    serverAddress != 0 && ipv6 ? PacketMemory.i64(serverAddress + 8) : 0L);
            final int q = captured ? queryStored : 0;
            final int r = keepResponse ? Math.min(responseLength, messageRoom - q) : 0;
            LogRing.I16.set(b, at + QUERY_STORED_OFFSET, (short) q);
            LogRing.I16.set(b, at + RESPONSE_STORED_OFFSET, (short) r);
            MemorySegment.copy(PacketMemory.ALL, ValueLayout.JAVA_BYTE, dns, b, at + MESSAGES_OFFSET + q, r);
        }
        captured = false;
        ring.publish();
    }

    /** Once a second (by the frame clock), sends the counters' growth over the last second. */
    void tick(long nanoTime) {
        if (secondStart == 0) {
            secondStart = nanoTime;
            snapshot(atSecondStart);
            return;
        }
        if (nanoTime - secondStart < SECOND) {
            return;
        }
        final int at = ring.claim();
        if (at < 0) {
            counters.increment(DnsCounters.Counter.LOG_DROPPED);
        } else {
            LogRing.I32.set(bytes, at + KIND_OFFSET, KIND_SECOND);
            LogRing.I64.set(bytes, at + TIME_OFFSET, nanoTime);
            for (int k = 0; k < SECOND_COUNTS.length; k++) {
                LogRing.I64.set(bytes, at + SECOND_COUNTS_OFFSET + 8 * k, current(k) - atSecondStart[k]);
            }
            ring.publish();
            captured = false; // the record a dropped query had claimed is this one now
        }
        secondStart = nanoTime;
        snapshot(atSecondStart);
    }

    private void snapshot(long[] into) {
        for (int k = 0; k < into.length; k++) {
            into[k] = current(k);
        }
    }

    private long current(int k) {
        return switch (k) {
            case 0 -> counters.get(DnsCounters.Counter.ANSWERED);
            case 1 -> counters.get(DnsCounters.Counter.TRUNCATED);
            case 2 -> counters.rcode(Rcode.NOERROR);
            case 3 -> counters.rcode(Rcode.NXDOMAIN);
            case 4 -> counters.rcode(Rcode.REFUSED);
            case 5 -> counters.rcode(Rcode.FORMERR);
            default -> counters.get(DnsCounters.Counter.LOG_DROPPED);
        };
    }
}
