package dev.isthmus.dataplane.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Single-threaded semantics of every mode of {@link MbufRing} (one contract, run against each implementation mode). */
class MbufRingContractTest {

    static Stream<Arguments> modes() {
        return Stream.of(RingSync.values()).flatMap(p -> Stream.of(RingSync.values()).map(c -> Arguments.of(p, c)));
    }

    private static long[] range(long from, int n) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = from + i;
        }
        return values;
    }

    @ParameterizedTest
    @MethodSource("modes")
    void fifoThroughWrapAround(RingSync producers, RingSync consumers) {
        try (MbufRing ring = new MbufRing("t", 8, producers, consumers)) {
            long next = 1;
            long expected = 1;
            long[] out = new long[8];
            for (int round = 0; round < 50; round++) {
                int n = 1 + round % 5;
                assertEquals(n, ring.enqueueBulk(range(next, n), 0, n));
                next += n;
                int got = ring.dequeueBurst(out, 0, 8);
                assertEquals(n, got);
                for (int i = 0; i < got; i++) {
                    assertEquals(expected++, out[i]);
                }
            }
            assertTrue(ring.isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void bulkIsAllOrNothingAndBurstTakesWhatFits(RingSync producers, RingSync consumers) {
        try (MbufRing ring = new MbufRing("t", 8, producers, consumers)) {
            assertEquals(6, ring.enqueueBulk(range(1, 6), 0, 6));
            assertEquals(0, ring.enqueueBulk(range(7, 3), 0, 3), "3 do not fit in the 2 free slots");
            assertEquals(6, ring.size());
            assertEquals(2, ring.enqueueBurst(range(7, 3), 0, 3), "burst takes the 2 that fit");
            assertEquals(8, ring.size());
            assertEquals(0, ring.enqueueBurst(range(9, 1), 0, 1));
            assertFalse(ring.offer(99));

            long[] out = new long[16];
            assertEquals(0, ring.dequeueBulk(out, 0, 9), "9 are not there");
            assertEquals(3, ring.dequeueBulk(out, 0, 3));
            assertArrayEquals(range(1, 3), java.util.Arrays.copyOf(out, 3));
            assertEquals(5, ring.dequeueBurst(out, 3, 16 - 3));
            assertArrayEquals(range(1, 8), java.util.Arrays.copyOf(out, 8));
            assertEquals(0, ring.dequeueBurst(out, 0, 4));
            assertEquals(MbufRing.EMPTY, ring.poll());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void singleElementOperationsMixWithBursts(RingSync producers, RingSync consumers) {
        try (MbufRing ring = new MbufRing("t", 4, producers, consumers)) {
            assertTrue(ring.offer(10));
            assertEquals(2, ring.enqueueBurst(new long[] {11, 12}, 0, 2));
            assertTrue(ring.offer(13));
            assertFalse(ring.offer(14));
            assertEquals(10, ring.poll());
            long[] out = new long[2];
            assertEquals(2, ring.dequeueBulk(out, 0, 2));
            assertArrayEquals(new long[] {11, 12}, out);
            assertEquals(13, ring.poll());
            assertEquals(MbufRing.EMPTY, ring.poll());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void largeBurstsWrapAroundTheSlotArrayInOrder(RingSync producers, RingSync consumers) {
        try (MbufRing ring = new MbufRing("t", 32, producers, consumers)) {
            long next = 1;
            long expected = 1;
            long[] out = new long[32];
            for (int round = 0; round < 40; round++) {
                int n = 8 + round % 25;
                assertEquals(n, ring.enqueueBulk(range(next, n), 0, n));
                next += n;
                assertEquals(n, ring.dequeueBulk(out, 0, n));
                for (int i = 0; i < n; i++) {
                    assertEquals(expected++, out[i], "round " + round + " element " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void zeroLengthOperationsDoNothing(RingSync producers, RingSync consumers) {
        try (MbufRing ring = new MbufRing("t", 4, producers, consumers)) {
            assertEquals(0, ring.enqueueBurst(new long[0], 0, 0));
            assertEquals(0, ring.dequeueBurst(new long[0], 0, 0));
            assertEquals(0, ring.size());
        }
    }

    @org.junit.jupiter.api.Test
    void capacityMustBeAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MbufRing("odd", 12, RingSync.SINGLE, RingSync.SINGLE));
        assertTrue(e.getMessage().contains("'odd'") && e.getMessage().contains("power of two"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MbufRing("one", 1, RingSync.MULTI, RingSync.MULTI));
    }
}
