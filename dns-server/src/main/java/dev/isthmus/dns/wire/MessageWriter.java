package dev.isthmus.dns.wire;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a DNS message with name compression (RFC 1035 §4.1.4): every name written is remembered by its suffixes,
 * and a later name ending in a known suffix points back to it. Only the names of RFC 1035 types are compressed in
 * RDATA (RFC 3597 §4). For tests, tools and clients; the engine precomputes its answers with its own compiler.
 */
public final class MessageWriter {
    private byte[] buf = new byte[512];
    private int pos = Header.LENGTH;
    private final Map<DnsName, Integer> offsets = new HashMap<>();
    private final int[] counts = new int[4];

    public MessageWriter(int id, int flags) {
        putU16(0, id);
        putU16(2, flags);
    }

    public MessageWriter question(DnsName name, int type, int qclass) {
        name(name, true);
        u16(type);
        u16(qclass);
        counts[0]++;
        return this;
    }

    /** Adds a record to section 1 (answer), 2 (authority) or 3 (additional). */
    public MessageWriter record(int section, DnsName owner, int type, int rrClass, long ttl, byte[] rdata) {
        name(owner, true);
        u16(type);
        u16(rrClass);
        u32(ttl);
        int lengthAt = pos;
        u16(0);
        int start = pos;
        if (RdataLayout.namesCompressible(type)) {
            int[] names = RdataLayout.nameOffsets(type, rdata);
            int p = 0;
            for (int at : names) {
                bytes(rdata, p, at - p);
                int end = RdataLayout.nameEnd(rdata, at);
                name(DnsName.fromWire(rdata, at, end - at), true);
                p = end;
            }
            bytes(rdata, p, rdata.length - p);
        } else {
            bytes(rdata, 0, rdata.length);
        }
        putU16(lengthAt, pos - start);
        counts[section]++;
        return this;
    }

    /** Adds an OPT pseudo-record (RFC 6891 §6.1.2) to the additional section. */
    public MessageWriter opt(int udpPayload, int extendedRcode, int version, boolean dnssecOk, byte[] options) {
        long ttl = ((long) (extendedRcode & 0xFF) << 24) | ((long) (version & 0xFF) << 16) | (dnssecOk ? 0x8000 : 0);
        return record(3, DnsName.ROOT, RecordType.OPT, udpPayload, ttl, options);
    }

    public byte[] toByteArray() {
        for (int i = 0; i < 4; i++) {
            putU16(4 + 2 * i, counts[i]);
        }
        return Arrays.copyOf(buf, pos);
    }

    private void name(DnsName name, boolean compress) {
        byte[] w = name.wire();
        int p = 0;
        DnsName suffix = name;
        while (w[p] != 0) {
            Integer known = compress ? offsets.get(suffix) : null;
            if (known != null) {
                u16(0xC000 | known);
                return;
            }
            if (pos < 0x4000) {
                offsets.putIfAbsent(suffix, pos);
            }
            int len = w[p] & 0xFF;
            bytes(w, p, 1 + len);
            p += 1 + len;
            suffix = suffix.parent();
        }
        ensure(1);
        buf[pos++] = 0;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void u16(int v) {
        ensure(2);
        putU16(pos, v);
        pos += 2;
    }

    private void u32(long v) {
        u16((int) (v >>> 16) & 0xFFFF);
        u16((int) v & 0xFFFF);
    }

    private void putU16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }
}
