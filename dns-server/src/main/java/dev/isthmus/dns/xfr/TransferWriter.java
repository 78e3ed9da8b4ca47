package dev.isthmus.dns.xfr;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RdataLayout;
import dev.isthmus.dns.zone.ResourceRecord;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts the records of a zone transfer into DNS messages (RFC 5936 §2.2): each message at most {@code limit} octets
 * (at most 65535, what a TCP length prefix can frame, RFC 1035 §4.2.2), as many records as fit, the question only in
 * the first (RFC 5936 §2.2.1 allows later messages without it), names compressed against the names already in the
 * same message (RFC 1035 §4.1.4; in RDATA only for the types of RFC 1035, RFC 3597 §4). A record goes into the
 * current message when its uncompressed size fits the room left, so no message is ever written past the limit and
 * nothing is rolled back; the loss is a few octets per message.
 *
 * <p>Usage: {@code add} every record in order, then {@link #finish()}; each complete message goes to the
 * {@link Sink}. One instance per transfer.
 */
public final class TransferWriter {
    /** The largest DNS message over TCP (RFC 1035 §4.2.2: a two-octet length). */
    public static final int MAX_MESSAGE = 65535;

    /** Receives each finished message: {@code buf[0, length)}, reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void message(byte[] buf, int length) throws IOException;
    }

    private final int id;
    private final int flags;
    private final DnsName qname;
    private final int qtype;
    private final int qclass;
    private final int limit;
    private final Sink sink;
    private final byte[] buf;
    private final Map<DnsName, Integer> offsets = new HashMap<>();
    private int pos;
    private int count;
    private boolean first = true;
    private int messages;
    private long records;

    /**
     * @param id the query's ID, copied into every message (RFC 5936 §2.2.1)
     * @param flags the header flags of every message (QR, AA, the query's opcode and RD)
     * @param limit the largest message, octets: {@link #MAX_MESSAGE} less what a signature appended later needs
     */
    public TransferWriter(int id, int flags, DnsName qname, int qtype, int qclass, int limit, Sink sink) {
        if (limit < 512 || limit > MAX_MESSAGE) {
            throw new IllegalArgumentException("message limit " + limit + " outside 512.." + MAX_MESSAGE);
        }
        this.id = id;
        this.flags = flags;
        this.qname = qname;
        this.qtype = qtype;
        this.qclass = qclass;
        this.limit = limit;
        this.sink = sink;
        this.buf = new byte[limit];
        start();
    }

    /** Adds a record to the answer section, sending the current message first when the record would not fit. */
    public void add(ResourceRecord r) throws IOException {
        int worst = r.owner().wireLength() + 10 + r.rdata().length;
        if (pos + worst > limit) {
            if (count == 0) {
                throw new IOException("record " + r.owner() + " of " + worst + " octets does not fit a message of "
                    + limit);
            }
            flush();
            start();
            if (pos + worst > limit) {
                throw new IOException("record " + r.owner() + " of " + worst + " octets does not fit a message of "
                    + limit);
            }
        }
        name(r.owner());
        u16(r.type());
        u16(r.rrClass());
        u16((int) (r.ttl() >>> 16));
        u16((int) r.ttl());
        int lengthAt = pos;
        pos += 2;
        int start = pos;
        byte[] rdata = r.rdata();
        if (RdataLayout.namesCompressible(r.type())) {
            int p = 0;
            for (int at : RdataLayout.nameOffsets(r.type(), rdata)) {
                bytes(rdata, p, at - p);
                int end = RdataLayout.nameEnd(rdata, at);
                name(DnsName.fromWire(rdata, at, end - at));
                p = end;
            }
            bytes(rdata, p, rdata.length - p);
        } else {
            bytes(rdata, 0, rdata.length);
        }
        put16(lengthAt, pos - start);
        count++;
        records++;
    }

    /** Sends the last message (also when it holds no record: an answer of the question alone). */
    public void finish() throws IOException {
        flush();
    }

    /** @return the messages sent so far */
    public int messages() {
        return messages;
    }

    /** @return the records written so far */
    public long records() {
        return records;
    }

    private void start() {
        offsets.clear();
        count = 0;
        put16(0, id);
        put16(2, flags);
        pos = Header.LENGTH;
        if (first) {
            name(qname);
            u16(qtype);
            u16(qclass);
        }
    }

    private void flush() throws IOException {
        put16(Header.QDCOUNT_OFFSET, first ? 1 : 0);
        put16(Header.ANCOUNT_OFFSET, count);
        put16(Header.NSCOUNT_OFFSET, 0);
        put16(Header.ARCOUNT_OFFSET, 0);
        first = false;
        messages++;
        sink.message(buf, pos);
    }

    /** Writes a name, pointing at the longest suffix already in this message (RFC 1035 §4.1.4). */
    private void name(DnsName name) {
        byte[] w = name.wire();
        int p = 0;
        DnsName suffix = name;
        while (w[p] != 0) {
            Integer known = offsets.get(suffix);
            if (known != null) {
                u16(0xC000 | known);
                return;
            }
            if (pos < 0x4000) {
                offsets.put(suffix, pos); // a pointer has 14 bits of offset
            }
            int len = w[p] & 0xFF;
            bytes(w, p, 1 + len);
            p += 1 + len;
            suffix = suffix.parent();
        }
        buf[pos++] = 0;
    }

    private void bytes(byte[] b, int off, int len) {
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void u16(int v) {
        put16(pos, v);
        pos += 2;
    }

    private void put16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }
}
