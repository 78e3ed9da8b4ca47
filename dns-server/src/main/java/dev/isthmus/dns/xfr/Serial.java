package dev.isthmus.dns.xfr;

/**
 * Serial number arithmetic (RFC 1982) for SOA serials, which wrap around 2^32: {@code a} is greater than {@code b}
 * when it lies less than half the number space ahead of it.
 */
public final class Serial {
    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 1L << 31;

    private Serial() {
    }

    /**
     * RFC 1982 §3.2: {@code s1 > s2} when (s1 < s2 and s2 - s1 > 2^31) or (s1 > s2 and s1 - s2 < 2^31). When the
     * distance is exactly 2^31 the comparison is undefined, and this says false both ways.
     */
    public static boolean greater(long s1, long s2) {
        long a = s1 & MASK;
        long b = s2 & MASK;
        return (a < b && b - a > HALF) || (a > b && a - b < HALF);
    }

    /** @return true when {@code s1} is {@code s2} or greater than it (RFC 1982 §3.2) */
    public static boolean atLeast(long s1, long s2) {
        return (s1 & MASK) == (s2 & MASK) || greater(s1, s2);
    }
}
