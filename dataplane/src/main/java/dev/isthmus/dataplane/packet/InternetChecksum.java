package dev.isthmus.dataplane.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of 16-bit words.
 *
 * <p>Sums are kept unfolded in a {@code long} so that pieces (a pseudo-header, a header, a payload) can be added
 * together before one {@link #fold}; the sum of 32- or 64-bit words folds to the same 16-bit value as the sum of
 * 16-bit words (RFC 1071 §2(C)), and a sum in the machine's byte order is the big-endian one with its two bytes
 * swapped (§2(B)), so bytes are summed eight at a time in native order and swapped once.
 * {@link #update16} and {@link #update32} adjust a checksum when a field changes, without reading the rest of the
 * packet (RFC 1624 eqn. 3).
 */
public final class InternetChecksum {

    private static final ValueLayout.OfLong NATIVE64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt NATIVE32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort NATIVE16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** From this length on, the loop the JIT vectorizes ({@link #sum(MemorySegment, long, int, long)}). */
    private static final int LONG_PIECE = 128;
    private static final boolean NATIVE_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private InternetChecksum() {
    }

    /**
     * Adds {@code length} bytes at {@code address} to a running sum. A trailing odd byte counts as the high byte of a
     * word padded with zero (RFC 768 and RFC 1071 §4.1). Only an even-length piece may be followed by another piece.
     */
    public static long sum(long address, int length, long sum) {
        return sum(PacketMemory.ALL, address, length, sum);
    }

    /**
     * Adds {@code length} bytes of {@code segment} from {@code offset} to a running sum, as {@link #sum(long, int,
     * long)} does at an absolute address.
     */
    public static long sum(MemorySegment segment, long offset, int length, long sum) {
        // Summed in the machine's byte order and swapped once at the end (RFC 1071 §2(B): the sum is byte-order
        // independent), as 32-bit halves into two accumulators, so that a long cannot overflow below 8 GiB. The
        // segment is read at offsets, without a slice: a slice is an object, which C2 allocates wherever it does not
        // inline asSlice (a large caller: bench dns's lcore did). Sixteen bytes a turn, then eight: most pieces are
        // short (a 20-byte IPv4 header, 32 octets of IPv6 addresses, a 30-70-byte query), where a one-word loop's
        // pre-, main and post-loop cost more than the loads (DnsStageBench's query-checksum row: 15-18 ns against
        // the slice's 18-22 and a one-word long-counted loop's 25). From LONG_PIECE bytes on (a full-size datagram,
        // a VxLAN frame's UDP checksum over IPv6, a big response) the one-word loop, which C2 vectorizes and the
        // sixteen-byte one it does not: 1 500 bytes in ~28 ns against ~90 (a scratch loop, `taskset -c 1`, the
        // slice's form 28), break-even near 128. Each loop in a method of its own: in one body with the other, the
        // short pieces lost their gain (40 bytes 4.4-4.8 ns alone, 7.0 together, the slice's 7.4).
        final long wordsEnd = offset + (length & ~7);
        long words = length >= LONG_PIECE ? longWords(segment, offset, wordsEnd)
            : shortWords(segment, offset, wordsEnd);
        final int rest = length & 7;
        if (rest != 0) {
            if (length >= 8) {
                // The last 1-7 bytes without a branch per size: the piece's last eight bytes, loaded again, shifted so
                // that only the new ones remain, where a word starting after the whole ones would hold them (padded
                // with zeros, so a trailing odd byte is the high byte of its big-endian word: RFC 768, RFC 1071 §4.1).
                final long w = segment.get(NATIVE64, offset + length - 8);
                final long tail = NATIVE_IS_BIG_ENDIAN ? w << (64 - 8 * rest) : w >>> (64 - 8 * rest);
                words += (tail >>> 32) + (tail & 0xFFFF_FFFFL);
            } else {
                words += shortPiece(segment, offset, length);
            }
        }
        int folded = fold(words);
        return sum + (NATIVE_IS_BIG_ENDIAN ? folded : Short.reverseBytes((short) folded) & 0xFFFF);
    }

    /**
     * A sum of words loaded in the machine's byte order from an even offset (as {@link #sum(long, int, long)} takes
     * them, 32-bit halves added unfolded), as the big-endian sum to add to others: folded, and its two bytes swapped on
     * a little-endian machine (RFC 1071 §2(B)).
     */
    public static long nativeSum(long nativeWords) {
        final int folded = fold(nativeWords);
        return NATIVE_IS_BIG_ENDIAN ? folded : Short.reverseBytes((short) folded) & 0xFFFF;
    }

    /** The whole words from {@code offset} to {@code wordsEnd}, as 32-bit halves: sixteen bytes a turn, then eight. */
    private static long shortWords(MemorySegment segment, long offset, long wordsEnd) {
        long a = 0;
        long b = 0;
        long p = offset;
        for (; p + 16 <= wordsEnd; p += 16) {
            final long w = segment.get(NATIVE64, p);
            final long v = segment.get(NATIVE64, p + 8);
            a += (w >>> 32) + (v >>> 32);
            b += (w & 0xFFFF_FFFFL) + (v & 0xFFFF_FFFFL);
        }
        if (p < wordsEnd) {
            final long w = segment.get(NATIVE64, p);
            a += w >>> 32;
            b += w & 0xFFFF_FFFFL;
        }
        return a + b;
    }

    /** The whole words from {@code offset} to {@code wordsEnd}, as 32-bit halves, a word a turn (C2 vectorizes it). */
    private static long longWords(MemorySegment segment, long offset, long wordsEnd) {
        long a = 0;
        long b = 0;
        for (long p = offset; p < wordsEnd; p += 8) {
            final long w = segment.get(NATIVE64, p);
            a += w >>> 32;
            b += w & 0xFFFF_FFFFL;
        }
        return a + b;
    }

    /** The native-order sum of a piece shorter than eight bytes, an odd last byte as a zero-padded word's high byte. */
    private static long shortPiece(MemorySegment piece, long offset, int length) {
        long s = 0;
        long p = offset;
        int rest = length;
        if (rest >= 4) {
            s += piece.get(NATIVE32, p) & 0xFFFF_FFFFL;
            p += 4;
            rest -= 4;
        }
        if (rest >= 2) {
            s += piece.get(NATIVE16, p) & 0xFFFF;
            p += 2;
            rest -= 2;
        }
        if (rest == 1) {
            // In a little-endian machine's order the high byte of a big-endian word is its low byte, which the final
            // swap moves up.
            final int last = piece.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
            s += NATIVE_IS_BIG_ENDIAN ? last << 8 : last;
        }
        return s;
    }

    /**
     * Adds {@code length} bytes of {@code bytes} from {@code from} to a running sum, 16 bits at a time (RFC 1071's
     * definition; a trailing odd byte is the high byte of a zero-padded word, RFC 768). For sums taken once (when a
     * zone version is built) or over a few bytes; {@link #sum(long, int, long)} is the packet path's.
     */
    public static long sum(byte[] bytes, int from, int length, long sum) {
        final int end = from + length;
        int k = from;
        for (; k + 1 < end; k += 2) {
            sum += ((bytes[k] & 0xFF) << 8) | (bytes[k + 1] & 0xFF);
        }
        if (k < end) {
            sum += (bytes[k] & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * A sum taken over a piece as if it began at an even offset, moved to where the piece lies: {@code offset} from
     * the start of what is checksummed. At an even offset it is the same; at an odd one every byte of the piece is
     * in the other half of its 16-bit word, which swaps the sum's two bytes (RFC 1071 §2(B)). The swap is a
     * multiplication by 2^8: modulo 0xFFFF (ones' complement addition; 2^16 = 1) the high byte comes round as end-around
     * carry, so the sum need not be folded first. The result is unfolded (below 2^56 for a sum below 2^48): add it
     * to others, then {@link #fold}.
     */
    public static long placed(long sum, long offset) {
        return sum << ((offset & 1) << 3);
    }

    /** Folds a running sum into 16 bits with end-around carry (ones' complement addition). */
    public static int fold(long sum) {
        long s = (sum >>> 32) + (sum & 0xFFFF_FFFFL);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        return (int) s;
    }

    /**
     * Whether a received header's or datagram's whole sum — its checksum field included, with the pseudo-header's
     * where it has one — is right: it folds to 0xFFFF (RFC 1071 §1: data and checksum sum to all ones).
     */
    public static boolean verifies(long wholeSum) {
        return fold(wholeSum) == 0xFFFF;
    }

    /** The checksum field value for a running sum: the ones' complement of its fold. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The checksum of {@code length} bytes at {@code address}. */
    public static int compute(long address, int length) {
        return finish(sum(address, length, 0));
    }

    /**
     * The sum of the IPv4 pseudo-header (RFC 768; RFC 9293 §3.1): source, destination, zero, protocol, and the
     * upper-layer length.
     */
    public static long ipv4PseudoHeader(int source, int destination, int protocol, int length) {
        return (source & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * The sum of the IPv6 pseudo-header (RFC 8200 §8.1): the two addresses read from the packet, the 32-bit
     * upper-layer length and the next-header value of the upper layer.
     *
     * @param addresses the address of the source address; the destination follows it (IPv6 header offset 8)
     */
    public static long ipv6PseudoHeader(long addresses, int length, int nextHeader) {
        return sum(addresses, 32, 0) + (length & 0xFFFF_FFFFL) + nextHeader;
    }

    /**
     * A checksum updated for a 16-bit field changing from {@code oldValue} to {@code newValue}: RFC 1624 eqn. 3,
     * HC' = ~(~HC + ~m + m'), which never yields the 0x0000 that eqn. 2 can produce wrongly.
     */
    public static int update16(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** As {@link #update16} for a 32-bit field (an IPv4 address): both halves at once. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }
}
