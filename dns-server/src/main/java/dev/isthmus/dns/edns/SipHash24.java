package dev.isthmus.dns.edns;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) over the two message lengths a
 * server cookie needs (RFC 9018 §4.4): 20 octets (IPv4 client) and 32 octets (IPv6 client). Words are the message's
 * octets read little-endian, as the reference; the caller passes them so no array is built per packet.
 */
final class SipHash24 {

    private SipHash24() {
    }

    /**
     * SipHash-2-4 of a 20-octet message: {@code m0}, {@code m1} (little-endian words of octets 0-15) and the last
     * four octets {@code tail} (little-endian in the low 32 bits).
     */
    static long hash20(long k0, long k1, long m0, long m1, int tail) {
        return hash(k0, k1, m0, m1, 0, 0, 2, (tail & 0xFFFF_FFFFL) | (20L << 56));
    }

    /** SipHash-2-4 of a 32-octet message of four little-endian words. */
    static long hash32(long k0, long k1, long m0, long m1, long m2, long m3) {
        return hash(k0, k1, m0, m1, m2, m3, 4, 32L << 56);
    }

    /** @param words how many of m0..m3 are whole message words; {@code last} is the final block with the length */
    private static long hash(long k0, long k1, long m0, long m1, long m2, long m3, int words, long last) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        for (int i = 0; i <= words; i++) {
            long m = i == words ? last : i == 0 ? m0 : i == 1 ? m1 : i == 2 ? m2 : m3;
            v3 ^= m;
            for (int r = 0; r < 2; r++) { // c = 2 compression rounds
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++) { // d = 4 finalization rounds
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
