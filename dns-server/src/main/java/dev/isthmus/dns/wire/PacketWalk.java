package dev.isthmus.dns.wire;

import dev.isthmus.dataplane.packet.PacketMemory;

/**
 * Steps over names and records of a message in native memory (a packet), without decoding them: what the data
 * plane needs to find a section or an option around the engine. Every step is bounded by {@code end}; -1 means the
 * message ended first.
 */
public final class PacketWalk {

    private PacketWalk() {
    }

    /** Skips a name in place (a compression pointer ends it, RFC 1035 §4.1.4); -1 when it runs past the end. */
    public static long skipName(long p, long end) {
        for (int guard = 0; guard < 128; guard++) {
            if (p >= end) {
                return -1;
            }
            int len = PacketMemory.u8(p);
            if (len == 0) {
                return p + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return p + 2 <= end ? p + 2 : -1;
            }
            if (len > DnsName.MAX_LABEL_LENGTH) {
                return -1;
            }
            p += 1 + len;
        }
        return -1;
    }

    /** Skips a resource record (name, type, class, TTL, RDLENGTH, RDATA: RFC 1035 §4.1.3); -1 past the end. */
    public static long skipRecord(long p, long end) {
        p = skipName(p, end);
        if (p < 0 || p + 10 > end) {
            return -1;
        }
        long next = p + 10 + PacketMemory.u16(p + 8);
        return next > end ? -1 : next;
    }

    /** Skips the question section of {@code count} entries; -1 past the end. */
    public static long skipQuestions(long p, long end, int count) {
        for (int i = 0; i < count && p >= 0; i++) {
            p = skipName(p, end);
            if (p >= 0) {
                p = p + 4 <= end ? p + 4 : -1;
            }
        }
        return p;
    }
}
