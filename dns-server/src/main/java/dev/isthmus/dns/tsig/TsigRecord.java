package dev.isthmus.dns.tsig;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.RecordType;

/**
 * A TSIG record read from a message (RFC 8945 §4.2), with where it starts so the signed part of the message can be
 * recovered.
 *
 * <pre>
 *  owner NAME = key name, TYPE = TSIG (250), CLASS = ANY (255), TTL = 0, RDLENGTH
 *  RDATA:  Algorithm Name | Time Signed (u48) | Fudge (u16) | MAC Size (u16) | MAC
 *          | Original ID (u16) | Error (u16) | Other Len (u16) | Other Data
 * </pre>
 *
 * @param offset where the TSIG record starts in the message: the signed message is the bytes before it
 */
public record TsigRecord(DnsName keyName, DnsName algorithmName, long timeSigned, int fudge, byte[] mac,
        int originalId, int error, byte[] otherData, int offset) {

    /** RFC 8945 §4.2: the TSIG record's CLASS is ANY and its TTL zero. */
    static final int CLASS_ANY = 255;

    /**
     * Finds the TSIG record of {@code msg[0, length)}.
     *
     * @return the record, or null when the message carries none
     * @throws TsigFormatException when the message cannot be walked, the TSIG record is malformed, or a TSIG record
     *     is anywhere but last in the additional section (RFC 8945 §5.1: such a message is a FORMERR)
     */
    public static TsigRecord find(byte[] msg, int length) throws TsigFormatException {
        if (length < Header.LENGTH) {
            throw new TsigFormatException("message shorter than a header");
        }
        int qd = u16(msg, Header.QDCOUNT_OFFSET);
        int records = u16(msg, Header.ANCOUNT_OFFSET) + u16(msg, Header.NSCOUNT_OFFSET)
                + u16(msg, Header.ARCOUNT_OFFSET);
        int arCount = u16(msg, Header.ARCOUNT_OFFSET);
        int p = Header.LENGTH;
        for (int i = 0; i < qd; i++) {
            p = skipName(msg, p, length);
            p += 4;
            if (p > length) {
                throw new TsigFormatException("question runs past the message");
            }
        }
        for (int i = 0; i < records; i++) {
            int start = p;
            p = skipName(msg, p, length);
            if (p + 10 > length) {
                throw new TsigFormatException("record runs past the message");
            }
            int type = u16(msg, p);
            int rdLength = u16(msg, p + 8);
            int rdata = p + 10;
            p = rdata + rdLength;
            if (p > length) {
                throw new TsigFormatException("RDATA runs past the message");
            }
            if (type == RecordType.TSIG) {
                // RFC 8945 §5.1: "If a TSIG record is present in any other position [than last in the additional
                // section], the DNS message is dropped and a response with RCODE 1 (FORMERR) MUST be returned."
                if (i != records - 1 || arCount == 0) {
                    throw new TsigFormatException("TSIG record not last in the additional section");
                }
                if (p != length) {
                    throw new TsigFormatException("bytes after the TSIG record");
                }
                return parse(msg, start, rdata, rdLength);
            }
        }
        if (p != length) {
            throw new TsigFormatException("bytes after the last record");
        }
        return null;
    }

    private static TsigRecord parse(byte[] msg, int start, int rdata, int rdLength) throws TsigFormatException {
        DnsName owner = readName(msg, start, rdata);
        int afterOwner = skipName(msg, start, rdata);
        if (u16(msg, afterOwner + 2) != CLASS_ANY || u32(msg, afterOwner + 4) != 0) {
            throw new TsigFormatException("TSIG record's class is not ANY or its TTL not 0");
        }
        int end = rdata + rdLength;
        int p = skipName(msg, rdata, end);
        DnsName algorithm = readName(msg, rdata, end);
        if (p + 10 > end) {
            throw new TsigFormatException("TSIG RDATA too short");
        }
        long time = ((long) u16(msg, p) << 32) | u32(msg, p + 2);
        int fudge = u16(msg, p + 6);
        int macSize = u16(msg, p + 8);
        p += 10;
        if (p + macSize + 6 > end) {
            throw new TsigFormatException("TSIG MAC size runs past the RDATA");
        }
        byte[] mac = java.util.Arrays.copyOfRange(msg, p, p + macSize);
        p += macSize;
        int originalId = u16(msg, p);
        int error = u16(msg, p + 2);
        int otherLength = u16(msg, p + 4);
        p += 6;
        if (p + otherLength != end) {
            throw new TsigFormatException("TSIG Other Len does not match the RDATA length");
        }
        byte[] other = java.util.Arrays.copyOfRange(msg, p, end);
        return new TsigRecord(owner, algorithm, time, fudge, mac, originalId, error, other, start);
    }

    /** Skips a possibly compressed name (RFC 1035 §4.1.4); the pointer target is not followed. */
    static int skipName(byte[] msg, int p, int end) throws TsigFormatException {
        for (int guard = 0; guard < 128; guard++) {
            if (p >= end) {
                throw new TsigFormatException("name runs past the message");
            }
            int len = msg[p] & 0xFF;
            if (len == 0) {
                return p + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                if (p + 2 > end) {
                    throw new TsigFormatException("compression pointer runs past the message");
                }
                return p + 2;
            }
            if (len > DnsName.MAX_LABEL_LENGTH) {
                throw new TsigFormatException("label length " + len);
            }
            p += 1 + len;
        }
        throw new TsigFormatException("name with too many labels");
    }

    /** Reads a name, following compression pointers backwards only (so a loop is impossible). */
    static DnsName readName(byte[] msg, int p, int end) throws TsigFormatException {
        byte[] out = new byte[DnsName.MAX_WIRE_LENGTH];
        int o = 0;
        int limit = end;
        for (int guard = 0; guard < 256; guard++) {
            if (p >= limit) {
                throw new TsigFormatException("name runs past the message");
            }
            int len = msg[p] & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                if (p + 2 > limit) {
                    throw new TsigFormatException("compression pointer runs past the message");
                }
                int target = ((len & 0x3F) << 8) | (msg[p + 1] & 0xFF);
                if (target >= p) {
                    throw new TsigFormatException("forward compression pointer");
                }
                limit = p;
                p = target;
                continue;
            }
            if (len > DnsName.MAX_LABEL_LENGTH) {
                throw new TsigFormatException("label length " + len);
            }
            if (o + 1 + len > out.length || p + 1 + len > limit) {
                throw new TsigFormatException("name too long");
            }
            System.arraycopy(msg, p, out, o, 1 + len);
            o += 1 + len;
            if (len == 0) {
                return DnsName.fromWire(out, 0, o);
            }
            p += 1 + len;
        }
        throw new TsigFormatException("name with too many labels");
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((long) u16(b, p) << 16) | u16(b, p + 2);
    }
}
