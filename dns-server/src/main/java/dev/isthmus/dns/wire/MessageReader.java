package dev.isthmus.dns.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a whole DNS message from untrusted bytes. Every malformation is a {@link WireFormatException}; nothing
 * else escapes (the fuzz tests hold it to that).
 *
 * <p>Compression pointers (RFC 1035 §4.1.4) are accepted only when they point strictly backwards, before the
 * start of the name being read: this rules out loops and forward references in one check, as NSD and Knot do.
 */
public final class MessageReader {
    private final byte[] msg;
    private final int limit;
    private int pos;

    private MessageReader(byte[] msg, int offset, int length) {
        this.msg = msg;
        this.limit = offset + length;
        this.pos = offset;
    }

    public static Message read(byte[] msg) throws WireFormatException {
        return read(msg, 0, msg.length);
    }

    public static Message read(byte[] msg, int offset, int length) throws WireFormatException {
        if (offset < 0 || length < 0 || offset + length > msg.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (offset != 0) {
            // Compression offsets count from the message start.
            byte[] copy = java.util.Arrays.copyOfRange(msg, offset, offset + length);
            return new MessageReader(copy, 0, length).message();
        }
        return new MessageReader(msg, 0, length).message();
    }

    private Message message() throws WireFormatException {
        if (limit < Header.LENGTH) {
            throw new WireFormatException("message shorter than the 12-octet header");
        }
        int id = u16();
        int flags = u16();
        int qd = u16();
        int an = u16();
        int ns = u16();
        int ar = u16();
        // Each question needs at least 5 octets and each record 11: counts beyond that cannot be honest.
        int left = limit - pos;
        if ((long) qd * 5 + (long) (an + ns + ar) * 11 > left) {
            throw new WireFormatException("section counts larger than the message");
        }
        List<Question> questions = new ArrayList<>(qd);
        for (int i = 0; i < qd; i++) {
            DnsName name = name();
            questions.add(new Question(name, u16(), u16()));
        }
        return new Message(id, flags, questions, records(an), records(ns), records(ar));
    }

    private List<WireRecord> records(int count) throws WireFormatException {
        List<WireRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DnsName name = name();
            int type = u16();
            int rrClass = u16();
            long ttl = u32();
            int rdlength = u16();
            if (pos + rdlength > limit) {
                throw new WireFormatException("RDATA past the end of the message at offset " + pos);
            }
            int end = pos + rdlength;
            byte[] rdata = rdata(type, end);
            pos = end;
            out.add(new WireRecord(name, type, rrClass, ttl, rdata));
        }
        return out;
    }

    /** Decompresses the names of RFC 1035 types (RFC 3597 §4); other RDATA is copied as it is. */
    private byte[] rdata(int type, int end) throws WireFormatException {
        if (!RdataLayout.namesCompressible(type)) {
            return java.util.Arrays.copyOfRange(msg, pos, end);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        switch (type) {
            case RecordType.MX -> {
                fixed(out, 2, end);
                nameInto(out, end);
            }
            case RecordType.SOA -> {
                nameInto(out, end);
                nameInto(out, end);
                fixed(out, 20, end);
            }
            default -> nameInto(out, end);
        }
        if (pos != end) {
            throw new WireFormatException(RecordType.name(type) + " RDATA length does not match its content");
        }
        return out.toByteArray();
    }

    private void fixed(java.io.ByteArrayOutputStream out, int n, int end) throws WireFormatException {
        if (pos + n > end) {
            throw new WireFormatException("RDATA too short at offset " + pos);
        }
        out.write(msg, pos, n);
        pos += n;
    }

    private void nameInto(java.io.ByteArrayOutputStream out, int end) throws WireFormatException {
        int start = pos;
        DnsName n = name();
        if (pos > end) {
            throw new WireFormatException("name runs past its RDATA at offset " + start);
        }
        byte[] w = n.wire();
        out.write(w, 0, w.length);
    }

    /** Reads a possibly compressed name at {@link #pos} and moves past it. */
    private DnsName name() throws WireFormatException {
        byte[] out = new byte[DnsName.MAX_WIRE_LENGTH];
        int o = 0;
        int p = pos;
        int resume = -1;
        int floor = pos; // a pointer must land strictly before this
        while (true) {
            if (p >= limit) {
                throw new WireFormatException("name runs past the end of the message at offset " + p);
            }
            int len = msg[p] & 0xFF;
            int kind = len & 0xC0;
            if (kind == 0xC0) {
                if (p + 1 >= limit) {
                    throw new WireFormatException("truncated compression pointer at offset " + p);
                }
                int target = ((len & 0x3F) << 8) | (msg[p + 1] & 0xFF);
                if (target >= floor) {
                    throw new WireFormatException("compression pointer at offset " + p + " does not point backwards");
                }
                if (resume < 0) {
                    resume = p + 2;
                }
                floor = target;
                p = target;
                continue;
            }
            if (kind != 0) {
                throw new WireFormatException("reserved label type at offset " + p);
            }
            if (o + 1 + len > DnsName.MAX_WIRE_LENGTH) {
                throw new WireFormatException("name longer than 255 octets at offset " + pos);
            }
            if (p + 1 + len > limit) {
                throw new WireFormatException("label runs past the end of the message at offset " + p);
            }
            System.arraycopy(msg, p, out, o, 1 + len);
            o += 1 + len;
            p += 1 + len;
            if (len == 0) {
                break;
            }
        }
        pos = resume >= 0 ? resume : p;
        return DnsName.fromWire(out, 0, o);
    }

    private int u16() throws WireFormatException {
        if (pos + 2 > limit) {
            throw new WireFormatException("message truncated at offset " + pos);
        }
        int v = ((msg[pos] & 0xFF) << 8) | (msg[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    private long u32() throws WireFormatException {
        return ((long) u16() << 16) | u16();
    }
}
