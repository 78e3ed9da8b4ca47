package dev.isthmus.dns.pipeline;

import dev.isthmus.dns.dnstap.DnstapWriter;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The logger thread: drains every lcore's {@link LogRing}, turns records into text and hands the lines to a
 * {@link QueryLogSink}. It is the only place query-log records become objects, so the lcores never allocate for
 * them. It also keeps the latest per-second record of each lcore ({@link #lastSecond()}).
 *
 * <p>Lines: {@code query <ISO time> <client>#<port> <qname> <QTYPE> <RCODE>[ TC] <length>} and
 * {@code second <ISO time> <lcore> answered=N truncated=N ...}.
 */
final class QueryLogger implements AutoCloseable {

    private static final long IDLE_PARK_NANOS = 1_000_000;
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private record Source(String lcore, LogRing ring, long[] lastSecond) {
    }

    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final QueryLogSink sink;
    /** nanoTime → wall clock: both read once at start (records carry the frame's nanoTime). */
    private final long wallMillisAtStart = System.currentTimeMillis();
    private final long nanoAtStart = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    /** Where sampled queries and responses also go as dnstap messages, or null. */
    private volatile DnstapWriter dnstap;

    QueryLogger(QueryLogSink sink) {
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("isthmus-dns-log").daemon(true).start(this::run);
    }

    /**
     * Also writes every sampled query record to {@code writer} as dnstap AUTH_QUERY and AUTH_RESPONSE (closed with
     * the logger).
     */
    void dnstap(DnstapWriter writer) {
        this.dnstap = writer;
    }

    /** The dnstap output, or null. */
    DnstapWriter dnstap() {
        return dnstap;
    }

    /** Adds an lcore's ring (called while the pipelines are built). */
    void register(String lcore, LogRing ring) {
        sources.add(new Source(lcore, ring, new long[QueryLogWriter.SECOND_COUNTS.length]));
    }

    /** The last second's counters of each lcore, by the names of {@link QueryLogWriter#SECOND_COUNTS}. */
    java.util.Map<String, java.util.Map<String, Long>> lastSecond() {
        java.util.Map<String, java.util.Map<String, Long>> all = new java.util.LinkedHashMap<>();
        for (Source s : sources) {
            java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
            synchronized (s.lastSecond()) {
                for (int k = 0; k < QueryLogWriter.SECOND_COUNTS.length; k++) {
                    m.put(QueryLogWriter.SECOND_COUNTS[k], s.lastSecond()[k]);
                }
            }
            all.put(s.lcore(), m);
        }
        return all;
    }

    private void run() {
        while (running) {
            if (drainOnce() == 0) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            } else {
                flushDnstap(); // a collector sees messages within a drain, not when a buffer fills
            }
        }
        drainOnce();
    }

    private void flushDnstap() {
        DnstapWriter tap = dnstap;
        if (tap != null) {
            try {
                tap.flush();
            } catch (java.io.IOException | RuntimeException e) {
                System.getLogger(QueryLogger.class.getName()).log(System.Logger.Level.WARNING, "dnstap: " + e);
            }
        }
    }

    /** Reads what every ring holds now; returns how many records. */
    int drainOnce() {
        int total = 0;
        for (Source s : sources) {
            LogRing ring = s.ring();
            long ready = ring.available();
            if (ready == 0) {
                continue;
            }
            long head = ring.head();
            for (long k = 0; k < ready; k++) {
                try {
                    decode(s, ring.bytes(), ring.readOffset(head + k));
                } catch (RuntimeException e) {
                    // A sink that fails must not stop the draining (the lcores would start dropping records).
                    System.getLogger(QueryLogger.class.getName()).log(System.Logger.Level.WARNING,
                            "query log sink failed: " + e);
                }
            }
            ring.release(head + ready);
            total += (int) ready;
        }
        return total;
    }

    private void decode(Source s, byte[] b, int at) {
        int kind = (int) LogRing.I32.get(b, at + QueryLogWriter.KIND_OFFSET);
        long nanoTime = (long) LogRing.I64.get(b, at + QueryLogWriter.TIME_OFFSET);
        Instant when = Instant.ofEpochMilli(wallMillisAtStart + (nanoTime - nanoAtStart) / 1_000_000);
        if (kind == QueryLogWriter.KIND_SECOND) {
            StringBuilder line = new StringBuilder("second ").append(when).append(' ').append(s.lcore());
            long[] counts = new long[QueryLogWriter.SECOND_COUNTS.length];
            for (int k = 0; k < counts.length; k++) {
                counts[k] = (long) LogRing.I64.get(b, at + QueryLogWriter.SECOND_COUNTS_OFFSET + 8 * k);
                line.append(' ').append(QueryLogWriter.SECOND_COUNTS[k]).append('=').append(counts[k]);
            }
            synchronized (s.lastSecond()) {
                System.arraycopy(counts, 0, s.lastSecond(), 0, counts.length);
            }
            if (counts[0] != 0 || counts[counts.length - 1] != 0) {
                sink.accept(line.toString());
            }
            return;
        }
        boolean ipv6 = b[at + QueryLogWriter.FAMILY_OFFSET] == 6;
        byte[] address = Arrays.copyOfRange(b, at + QueryLogWriter.CLIENT_ADDRESS_OFFSET,
                at + QueryLogWriter.CLIENT_ADDRESS_OFFSET + (ipv6 ? 16 : 4));
        String client;
        try {
            client = InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            client = "?";
        }
        int port = (short) LogRing.I16.get(b, at + QueryLogWriter.CLIENT_PORT_OFFSET) & 0xFFFF;
        int qtype = (short) LogRing.I16.get(b, at + QueryLogWriter.QTYPE_OFFSET) & 0xFFFF;
        int rcode = (short) LogRing.I16.get(b, at + QueryLogWriter.RCODE_OFFSET);
        int length = (short) LogRing.I16.get(b, at + QueryLogWriter.RESPONSE_LENGTH_OFFSET) & 0xFFFF;
        int nameLength = (short) LogRing.I16.get(b, at + QueryLogWriter.QNAME_LENGTH_OFFSET);
        String qname = "-";
        if (nameLength > 0) {
            byte[] wire = Arrays.copyOfRange(b, at + QueryLogWriter.QNAME_OFFSET,
                    at + QueryLogWriter.QNAME_OFFSET + nameLength + 1); // + the root label (a zero byte)
            wire[nameLength] = 0;
            try {
                qname = DnsName.fromWire(wire, 0, wire.length).toString();
            } catch (RuntimeException e) {
                qname = "?";
            }
        }
        DnstapWriter tap = dnstap;
        if (tap != null) {
            dnstap(tap, s.ring().recordBytes() > LogRing.RECORD_BYTES, b, at, nanoTime, ipv6, address, port,
                    nameLength, qtype, rcode);
        }
        String rcodeName = rcode >= 0 && rcode < RCODES.length ? RCODES[rcode] : "RCODE" + rcode;
        sink.accept("query " + when + ' ' + client + '#' + port + ' ' + qname + ' ' + RecordType.name(qtype) + ' '
                + rcodeName + (b[at + QueryLogWriter.TRUNCATED_OFFSET] != 0 ? " TC " : " ") + length);
    }

    /**
     * The record as an AUTH_QUERY and an AUTH_RESPONSE: with the query and response bytes the ring kept (dnstap on),
     * or — from a ring without room for them — the response's header and question only.
     */
    private void dnstap(DnstapWriter tap, boolean messages, byte[] b, int at, long nanoTime, boolean ipv6,
                        byte[] client, int port, int nameLength, int qtype, int rcode) {
        Instant when = Instant.EPOCH.plusMillis(wallMillisAtStart).plusNanos(nanoTime - nanoAtStart);
        int family = ipv6 ? 16 : 4;
        byte[] server = null;
        byte[] query = null;
        byte[] response = null;
        if (messages) {
            server = Arrays.copyOfRange(b, at + QueryLogWriter.SERVER_ADDRESS_OFFSET,
                    at + QueryLogWriter.SERVER_ADDRESS_OFFSET + family);
            int q = (short) LogRing.I16.get(b, at + QueryLogWriter.QUERY_STORED_OFFSET) & 0xFFFF;
            int r = (short) LogRing.I16.get(b, at + QueryLogWriter.RESPONSE_STORED_OFFSET) & 0xFFFF;
            int from = at + QueryLogWriter.MESSAGES_OFFSET;
            query = q > 0 ? Arrays.copyOfRange(b, from, from + q) : null;
            response = r > 0 ? Arrays.copyOfRange(b, from + q, from + q + r) : null;
        }
        if (response == null) {
            response = skeleton(b, at + QueryLogWriter.QNAME_OFFSET, nameLength, qtype, rcode,
                    b[at + QueryLogWriter.TRUNCATED_OFFSET] != 0);
        }
        tap.authQuery(when, client, port, server, query);
        tap.authResponse(when, when, client, port, server, response);
    }

    /**
     * The response as the record describes it: header (QR, TC, RCODE) and question, without the answer sections
     * the record does not carry (the ring's records are of fixed size; the ID is not kept either).
     */
    private static byte[] skeleton(byte[] b, int qname, int nameLength, int qtype, int rcode, boolean truncated) {
        ByteBuffer m = ByteBuffer.allocate(Header.LENGTH + (nameLength > 0 ? nameLength + 1 + 4 : 0));
        m.putShort((short) 0);
        m.putShort((short) (Header.FLAG_QR | (truncated ? Header.FLAG_TC : 0) | (rcode & Header.RCODE_MASK)));
        m.putShort((short) (nameLength > 0 ? 1 : 0)).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        if (nameLength > 0) {
            m.put(b, qname, nameLength).put((byte) 0).putShort((short) qtype).putShort((short) DnsClass.IN);
        }
        return m.array();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DnstapWriter tap = dnstap;
        if (tap != null) {
            try {
                tap.close();
            } catch (java.io.IOException e) {
                System.getLogger(QueryLogger.class.getName()).log(System.Logger.Level.WARNING,
                        "dnstap: " + e);
            }
        }
    }
}
