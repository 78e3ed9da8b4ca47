package dev.isthmus.dns.xfr;

/**
 * The numbers of an SOA record's RDATA (RFC 1035 §3.3.13), read from its uncompressed wire form, and serial number
 * arithmetic (RFC 1982).
 *
 * @param refresh seconds between checks of the primary's serial
 * @param retry seconds before retrying a failed check
 * @param expire seconds after the last successful check when the zone stops being served (SERVFAIL)
 */
public record Soa(long serial, long refresh, long retry, long expire, long minimum) {

    /** @throws IllegalArgumentException when the RDATA is not an SOA's */
    public static Soa of(byte[] rdata) {
        int p = skipName(rdata, 0);
        p = skipName(rdata, p);
        if (p + 20 != rdata.length) {
            throw new IllegalArgumentException("SOA RDATA of " + rdata.length + " octets");
        }
        return new Soa(u32(rdata, p), u32(rdata, p + 4), u32(rdata, p + 8), u32(rdata, p + 12), u32(rdata, p + 16));
    }

    /** RFC 1982 §3.2: {@code a} is newer than {@code b} in 32-bit serial arithmetic. */
    public static boolean newer(long a, long b) {
        long d = (a - b) & 0xFFFF_FFFFL;
        return d != 0 && d < 0x8000_0000L;
    }

    private static int skipName(byte[] b, int p) {
        while (p < b.length) {
            int len = b[p] & 0xFF;
            if (len == 0) {
                return p + 1;
            }
            if (len > 63) {
                throw new IllegalArgumentException("SOA RDATA with a compressed or bad name");
            }
            p += 1 + len;
        }
        throw new IllegalArgumentException("SOA RDATA truncated");
    }

    private static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
