package dev.isthmus.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link InternetChecksum#sum} against the definition (RFC 1071 §4.1: big-endian 16-bit words, a trailing odd byte
 * padded on the right) for every length a packet piece may have, at every alignment, so the word loop, the
 * overlapping load of the last bytes and the short-piece path are each checked byte for byte.
 */
class InternetChecksumTest {

    /** RFC 1071 §4.1's loop: 16-bit words, big-endian, an odd last byte as the high byte of a zero-padded word. */
    private static int reference(MemorySegment bytes, long from, int length) {
        long sum = 0;
        int k = 0;
        for (; k + 1 < length; k += 2) {
            sum += ((bytes.get(ValueLayout.JAVA_BYTE, from + k) & 0xFF) << 8)
                    | (bytes.get(ValueLayout.JAVA_BYTE, from + k + 1) & 0xFF);
        }
        if (k < length) {
            sum += (bytes.get(ValueLayout.JAVA_BYTE, from + k) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void everyLengthAtEveryAlignmentMatchesTheDefinition() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(4096, 64);
            Random random = new Random(1071);
            for (int round = 0; round < 4; round++) {
                for (long k = 0; k < bytes.byteSize(); k++) {
                    // Round 0 all ones: the sums that carry most; then random bytes.
                    bytes.set(ValueLayout.JAVA_BYTE, k, round == 0 ? (byte) 0xFF : (byte) random.nextInt());
                }
                for (int alignment = 0; alignment < 8; alignment++) {
                    for (int length = 0; length <= 1500; length = length < 80 ? length + 1 : length + 37) {
                        long from = 64 + alignment;
                        int expected = reference(bytes, from, length);
                        int got = InternetChecksum.fold(InternetChecksum.sum(bytes.address() + from, length, 0));
                        assertEquals(expected, got, "length " + length + " at alignment " + alignment + ", round " + round);
                        // The same through a segment at an offset: a heap segment's copy (a kernel-socket buffer).
                        byte[] heap = bytes.toArray(ValueLayout.JAVA_BYTE);
                        assertEquals(expected, InternetChecksum.fold(InternetChecksum.sum(MemorySegment.ofArray(heap),
                                from, length, 0)), "heap, length " + length + " at alignment " + alignment);
                    }
                }
            }
        }
    }

    @Test
    void evenPiecesAddUpToTheWhole() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(256, 8);
            Random random = new Random(768);
            for (long k = 0; k < bytes.byteSize(); k++) {
                bytes.set(ValueLayout.JAVA_BYTE, k, (byte) random.nextInt());
            }
            long base = bytes.address();
            for (int split = 0; split <= 200; split += 2) {
                for (int length = split; length <= 201; length += 13) {
                    long pieces = InternetChecksum.sum(base + split, length - split, InternetChecksum.sum(base, split, 0));
                    assertEquals(reference(bytes, 0, length), InternetChecksum.fold(pieces),
                            "split at " + split + " of " + length);
                }
            }
        }
    }

    /**
     * Pieces of any length summed apart, each as from an even offset ({@link InternetChecksum#sum(byte[], int, int,
     * long)}), then moved to where they lie with {@link InternetChecksum#placed} — odd offsets included — add up to
     * the whole's sum by the definition; an odd-offset piece added unmoved does not (so the swap is what makes it).
     */
    @Test
    void piecesPlacedAtOddAndEvenOffsetsAddUpToTheWhole() {
        Random random = new Random(1624);
        byte[] whole = new byte[300];
        int unmovedWrong = 0;
        for (int round = 0; round < 2000; round++) {
            random.nextBytes(whole);
            int length = 1 + random.nextInt(whole.length);
            long placed = 0;
            long unmoved = 0;
            for (int from = 0; from < length; ) {
                int piece = Math.min(length - from, 1 + random.nextInt(23));
                long sum = InternetChecksum.sum(whole, from, piece, 0);
                placed += InternetChecksum.placed(sum, from);
                unmoved += sum;
                from += piece;
            }
            int expected = reference(MemorySegment.ofArray(whole), 0, length);
            assertEquals(expected % 0xFFFF, InternetChecksum.fold(placed) % 0xFFFF, "round " + round);
            if (expected % 0xFFFF != InternetChecksum.fold(unmoved) % 0xFFFF) {
                unmovedWrong++;
            }
        }
        assertEquals(true, unmovedWrong > 1000, "pieces at odd offsets added unmoved were wrong " + unmovedWrong);
    }
}
