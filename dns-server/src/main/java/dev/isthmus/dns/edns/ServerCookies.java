package dev.isthmus.dns.edns;

import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.PacketWalk;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;

/**
 * DNS Cookies on the data plane (RFC 7873), with server cookies made as RFC 9018 §4 describes, so that BIND, Knot
 * and others recognise the format:
 *
 * <pre>
 *  0               1               2               3
 *  +-------+-------+-------+-------+-------+-------+-------+-------+
 *  |  Version (1)  |        Reserved (0)           |
 *  +-------+-------+-------+-------+
 *  |            Timestamp (Unix seconds, 32 bits)                  |
 *  +---------------------------------------------------------------+
 *  |  Hash = SipHash-2-4(secret, Client Cookie | Version | Reserved |
 *  |                     Timestamp | Client-IP)  (64 bits)          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Per query: {@link #inspect} reads the query's COOKIE option (RFC 7873 §4) and judges its server cookie; the
 * engine (or the packet cache) answers with room left for the option; {@link #append} adds the client cookie and a
 * fresh server cookie to the response's OPT record. Since the option is added after the cache, a cached response
 * never carries a cookie, let alone another client's. One instance per lcore; nothing allocated.
 */
public final class ServerCookies {

    /** No COOKIE option (or no OPT): nothing to do. */
    public static final int NONE = 0;
    /** A client cookie alone (RFC 7873 §5.2.3): answered normally, with a new server cookie. */
    public static final int CLIENT_ONLY = 1;
    /** A server cookie we made, for this client, within its lifetime (RFC 9018 §4.3). */
    public static final int VALID = 2;
    /** A server cookie we did not make, for another address, expired or of another version. */
    public static final int INVALID = 3;
    /** A COOKIE option of a length RFC 7873 §5.2.2 forbids: FORMERR. */
    public static final int MALFORMED = 4;

    /** EDNS option code of NSID (RFC 5001 §2.3). */
    public static final int NSID_CODE = 3;
    /** EDNS option code of COOKIE (RFC 7873 §4). */
    public static final int OPTION_CODE = 10;
    /** What {@link #append} adds: option code and length, client cookie (8), server cookie (16). */
    public static final int OPTION_LENGTH = 4 + 8 + 16;
    /** RFC 9018 §4.3: a cookie older than an hour is no longer accepted ... */
    private static final int LIFETIME_SECONDS = 3600;
    /** ... nor one more than five minutes in the future (clock skew between the servers of a fleet). */
    private static final int SKEW_SECONDS = 300;
    private static final long VERSION_1 = 1L << 56;
    private static final int OPT_HEADER = 11;

    // The client of the query being answered.
    private boolean ipv6;
    private int address4;
    private long address6High;
    private long address6Low;
    /** The query's client cookie, as its 8 octets read big-endian. */
    private long clientCookie;
    /** Whether the query asked for the NSID (RFC 5001 §2.1: an empty NSID option). */
    private boolean nsidRequested;

    /** The client's IPv4 address (network order, as read from the packet). */
    public void client4(int address) {
        ipv6 = false;
        address4 = address;
    }

    /** The client's IPv6 address as two big-endian halves. */
    public void client6(long high, long low) {
        ipv6 = true;
        address6High = high;
        address6Low = low;
    }

    /**
     * Reads the query's COOKIE option, if any, and whether it asks for the NSID ({@link #nsidRequested()}). The
     * header and question were not checked yet: anything unreadable is {@link #NONE}, left to the engine's checks.
     *
     * @param secrets the secrets, or null when cookies are off (then only the NSID is looked for)
     * @param now the time in Unix seconds
     * @return {@link #NONE}, {@link #CLIENT_ONLY}, {@link #VALID}, {@link #INVALID} or {@link #MALFORMED}
     */
    public int inspect(long dns, int length, CookieSecrets secrets, int now) {
        nsidRequested = false;
        final long end = dns + length;
        final int arcount = PacketMemory.u16(dns + Header.ARCOUNT_OFFSET);
        if (arcount == 0) {
            return NONE;
        }
        long p = PacketWalk.skipQuestions(dns + Header.LENGTH, end, PacketMemory.u16(dns + Header.QDCOUNT_OFFSET));
        final int records = PacketMemory.u16(dns + Header.ANCOUNT_OFFSET) + PacketMemory.u16(dns + Header.NSCOUNT_OFFSET);
        for (int i = 0; i < records && p >= 0; i++) {
            p = PacketWalk.skipRecord(p, end);
        }
        for (int i = 0; i < arcount && p >= 0; i++) {
            final long next = PacketWalk.skipRecord(p, end);
            if (next < 0) {
                return NONE;
            }
            final long fixed = PacketWalk.skipName(p, end);
            if (PacketMemory.u16(fixed) == RecordType.OPT) {
                return option(fixed + 10, next, secrets, now);
            }
            p = next;
        }
        return NONE;
    }

    /** Looks through the OPT RDATA's options (RFC 6891 §6.1.2) for the first COOKIE, and for NSID. */
    private int option(long p, long end, CookieSecrets secrets, int now) {
        int verdict = NONE;
        boolean seen = false;
        while (p + 4 <= end) {
            final int code = PacketMemory.u16(p);
            final int len = PacketMemory.u16(p + 2);
            if (p + 4 + len > end) {
                return NONE; // the engine answers FORMERR to options that overrun RDATA
            }
            if (code == NSID_CODE) {
                nsidRequested = true;
            } else if (code == OPTION_CODE && secrets != null && !seen) {
                seen = true;
                // RFC 7873 §5.2.2: a client cookie of 8 octets, then nothing or a server cookie of 8 to 32.
                if (len < 8 || len > 40 || len > 8 && len < 16) {
                    return MALFORMED;
                }
                clientCookie = PacketMemory.i64(p + 4);
                verdict = len == 8 ? CLIENT_ONLY
                        : len == 24 && valid(PacketMemory.i64(p + 12), PacketMemory.i64(p + 20), secrets, now)
                        ? VALID : INVALID;
            }
            p += 4 + len;
        }
        return verdict;
    }

    /** @return whether the query just inspected carried an NSID option (RFC 5001 §2.1) */
    public boolean nsidRequested() {
        return nsidRequested;
    }

    /**
     * RFC 9018 §4.3: version 1, a timestamp at most an hour old and five minutes ahead, and the hash of the current
     * or the previous secret over this client cookie, the cookie's own version, reserved and timestamp octets, and
     * this client's address.
     */
    private boolean valid(long head, long hash, CookieSecrets secrets, int now) {
        if ((head >>> 56) != 1) {
            return false;
        }
        final int age = now - (int) head; // modulo 2^32, as the RFC's serial-number arithmetic
        if (age > LIFETIME_SECONDS || age < -SKEW_SECONDS) {
            return false;
        }
        return hash == serverHash(secrets.k0, secrets.k1, head)
                || secrets.hasPrevious && hash == serverHash(secrets.p0, secrets.p1, head);
    }

    /** The hash octets, as read big-endian, of the server cookie starting with {@code head} for this client. */
    private long serverHash(long k0, long k1, long head) {
        final long m0 = Long.reverseBytes(clientCookie);
        final long m1 = Long.reverseBytes(head);
        final long h = ipv6
                ? SipHash24.hash32(k0, k1, m0, m1, Long.reverseBytes(address6High), Long.reverseBytes(address6Low))
                : SipHash24.hash20(k0, k1, m0, m1, Integer.reverseBytes(address4));
        return Long.reverseBytes(h); // SipHash's output octets are little-endian
    }

    /**
     * Adds COOKIE (the client cookie and a server cookie made now) to the response's OPT record, which the engine
     * writes last. A response without OPT (no EDNS: then the query had no cookie either; header-only errors) is left
     * as it is.
     *
     * @param capacity bytes available from {@code dns}
     * @return the response's new length
     */
    public int append(long dns, int length, int capacity, CookieSecrets secrets, int now) {
        final long end = dns + length;
        final long optRdlength = ResponseOpt.lastOptRdlength(dns, end);
        if (optRdlength < 0 || length + OPTION_LENGTH > capacity) {
            return length;
        }
        writeOption(end, secrets, now);
        PacketMemory.put16(optRdlength, PacketMemory.u16(optRdlength) + OPTION_LENGTH);
        return length + OPTION_LENGTH;
    }

    /**
     * Turns the response into BADCOOKIE (RFC 7873 §5.2.3: a server may ask a client that sent no valid server cookie
     * to retry with the fresh one it returns): header and question, no records, an OPT with extended RCODE 1 and
     * the cookie. Used when rate limiting would otherwise drop the response or send it truncated.
     *
     * @param questionLength header and question octets of the response
     * @return the new length
     */
    public int badCookie(long dns, int questionLength, CookieSecrets secrets, int now) {
        final int flags = PacketMemory.u16(dns + Header.FLAGS_OFFSET);
        PacketMemory.put16(dns + Header.FLAGS_OFFSET, Header.FLAG_QR
                | flags & (Header.OPCODE_MASK | Header.FLAG_RD) | (Rcode.BADCOOKIE & Header.RCODE_MASK));
        PacketMemory.put16(dns + Header.ANCOUNT_OFFSET, 0);
        PacketMemory.put16(dns + Header.NSCOUNT_OFFSET, 0);
        PacketMemory.put16(dns + Header.ARCOUNT_OFFSET, 1);
        final long opt = dns + questionLength;
        // RFC 6891 §6.1.2-3: root owner, OPT, our UDP size, extended RCODE (the high 8 bits), version 0.
        PacketMemory.put8(opt, 0);
        PacketMemory.put16(opt + 1, RecordType.OPT);
        PacketMemory.put16(opt + 3, 1232);
        PacketMemory.put32(opt + 5, (Rcode.BADCOOKIE >>> 4) << 24);
        PacketMemory.put16(opt + 9, OPTION_LENGTH);
        writeOption(opt + OPT_HEADER, secrets, now);
        return questionLength + OPT_HEADER + OPTION_LENGTH;
    }

    /**
     * RFC 7873 §5.2.2: FORMERR for a malformed COOKIE option — as the engine's other FORMERRs, the header alone
     * with opcode and RD kept.
     */
    public static int formErr(long dns) {
        final int flags = PacketMemory.u16(dns + Header.FLAGS_OFFSET);
        PacketMemory.put16(dns + Header.FLAGS_OFFSET, Header.FLAG_QR
                | flags & (Header.OPCODE_MASK | Header.FLAG_RD) | Rcode.FORMERR);
        PacketMemory.put32(dns + Header.QDCOUNT_OFFSET, 0);
        PacketMemory.put32(dns + Header.NSCOUNT_OFFSET, 0);
        return Header.LENGTH;
    }

    private void writeOption(long p, CookieSecrets secrets, int now) {
        final long head = VERSION_1 | (now & 0xFFFF_FFFFL);
        PacketMemory.put16(p, OPTION_CODE);
        PacketMemory.put16(p + 2, 24);
        PacketMemory.put64(p + 4, clientCookie);
        PacketMemory.put64(p + 12, head);
        PacketMemory.put64(p + 20, serverHash(secrets.k0, secrets.k1, head));
    }

    /** Test access: the server cookie (16 octets, big-endian halves) this client would get now. */
    long[] serverCookieFor(long clientCookie, CookieSecrets secrets, int now) {
        this.clientCookie = clientCookie;
        final long head = VERSION_1 | (now & 0xFFFF_FFFFL);
        return new long[] {head, serverHash(secrets.k0, secrets.k1, head)};
    }

    /** Test access: whether a server cookie would be accepted from this client now. */
    boolean accepts(long clientCookie, long head, long hash, CookieSecrets secrets, int now) {
        this.clientCookie = clientCookie;
        return valid(head, hash, secrets, now);
    }
}
