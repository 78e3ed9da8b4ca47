package dev.isthmus.dns.rrl;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.PacketWalk;
import dev.isthmus.dns.wire.Rcode;

/**
 * Classifies a response from its own bytes, as the rate limiter accounts it (the RRL note's "identical responses";
 * BIND's and NSD's response types): its {@link #kind()} and the hash of the name it is accounted to. Reading the
 * response rather than asking the engine makes the packet cache's answers and the engine's alike, and keeps the
 * limiter apart from how answers are made.
 *
 * <ul>
 *   <li>{@link #ANSWER} and {@link #NODATA}: the query name (each name is its own flood);</li>
 *   <li>{@link #NXDOMAIN}: the owner of the SOA in authority, i.e. the zone, so random names under one zone count
 *       as one (the note: "the closest encloser, or the zone");</li>
 *   <li>{@link #REFERRAL}: the owner of the NS in authority, the delegation;</li>
 *   <li>{@link #ERROR}: no name (every error to one prefix counts together).</li>
 * </ul>
 *
 * <p>A flyweight: {@link #classify} fills it, allocation-free. Names hash case-insensitively, following compression
 * pointers (backwards only, bounded).
 */
public final class ResponseClass {

    public static final int ANSWER = 0;
    public static final int NODATA = 1;
    public static final int NXDOMAIN = 2;
    public static final int REFERRAL = 3;
    public static final int ERROR = 4;

    private static final int FNV_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private int kind;
    private int nameHash;
    private int questionLength;

    /**
     * Classifies the response of {@code length} bytes at {@code message}.
     *
     * @return this, or null when the response is too malformed to read (the engine's never are: counted as ERROR by
     *     the caller)
     */
    public ResponseClass classify(long message, int length) {
        final long end = message + length;
        final int flags = PacketMemory.u16(message + Header.FLAGS_OFFSET);
        final int qdcount = PacketMemory.u16(message + Header.QDCOUNT_OFFSET);
        final int ancount = PacketMemory.u16(message + Header.ANCOUNT_OFFSET);
        final int nscount = PacketMemory.u16(message + Header.NSCOUNT_OFFSET);
        long p = message + Header.LENGTH;
        int qnameHash = 0;
        if (qdcount == 1) {
            qnameHash = hashName(message, p, end);
            p = PacketWalk.skipName(p, end);
            if (p < 0 || p + 4 > end) {
                return null;
            }
            p += 4;
        } else if (qdcount != 0) {
            return null;
        }
        questionLength = (int) (p - message);
        final int rcode = flags & Header.RCODE_MASK;
        if (rcode == Rcode.NOERROR && qdcount == 1) {
            if (ancount > 0) {
                kind = ANSWER;
                nameHash = qnameHash;
            } else if ((flags & Header.FLAG_AA) == 0 && nscount > 0) {
                kind = REFERRAL;
                nameHash = authorityOwner(message, p, end, 0);
            } else {
                kind = NODATA;
                nameHash = qnameHash;
            }
        } else if (rcode == Rcode.NXDOMAIN) {
            kind = NXDOMAIN;
            nameHash = nscount > 0 ? authorityOwner(message, p, end, ancount) : qnameHash;
        } else {
            kind = ERROR;
            nameHash = 0;
        }
        return this;
    }

    /** @return {@link #ANSWER}, {@link #NODATA}, {@link #NXDOMAIN}, {@link #REFERRAL} or {@link #ERROR} */
    public int kind() {
        return kind;
    }

    /** @return the case-insensitive hash of the name the response is accounted to (0 for errors) */
    public int nameHash() {
        return nameHash;
    }

    /** @return the length of header and question: what a slipped (truncated) response keeps */
    public int questionLength() {
        return questionLength;
    }

    /** The hash of the first authority record's owner, after skipping {@code answers} records; 0 if unreadable. */
    private static int authorityOwner(long message, long p, long end, int answers) {
        for (int i = 0; i < answers && p >= 0; i++) {
            p = PacketWalk.skipRecord(p, end);
        }
        return p < 0 ? 0 : hashName(message, p, end);
    }

    /**
     * FNV-1a over the name's labels, lower-cased (RFC 4343 §3: only A-Z fold), through compression pointers that
     * point backwards (RFC 1035 §4.1.4); a malformed name hashes what was read.
     */
    static int hashName(long message, long p, long end) {
        int h = FNV_BASIS;
        for (int guard = 0; guard < 128 && p < end; guard++) {
            int len = PacketMemory.u8(p);
            if (len == 0) {
                return h * FNV_PRIME;
            }
            if ((len & 0xC0) == 0xC0) {
                if (p + 2 > end) {
                    return h;
                }
                long target = message + (((len & 0x3F) << 8) | PacketMemory.u8(p + 1));
                if (target >= p) {
                    return h;
                }
                p = target;
                continue;
            }
            if (len > 63 || p + 1 + len > end) {
                return h;
            }
            h = (h ^ len) * FNV_PRIME;
            for (long i = p + 1, e = p + 1 + len; i < e; i++) {
                int b = PacketMemory.u8(i);
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                h = (h ^ b) * FNV_PRIME;
            }
            p += 1 + len;
        }
        return h;
    }
}
