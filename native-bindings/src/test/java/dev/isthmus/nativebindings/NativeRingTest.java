package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NativeRingTest {

    private Mempool pool;
    private int availableAtStart;

    @BeforeEach
    void createPool() {
        Eal.shared();
        pool = Mempool.create("ring_test_pool", 255, 0, Mempool.DEFAULT_DATA_ROOM);
        availableAtStart = pool.available();
    }

    @AfterEach
    void poolIsWhole() {
        assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    @Test
    void pointersComeOutInTheOrderTheyWentIn() {
        try (NativeRing ring = NativeRing.create("ring_fifo", 8, false, false)) {
            assertEquals(7, ring.capacity());
            for (long p = 1; p <= 7; p++) {
                assertTrue(ring.offer(p * 64));
            }
            assertEquals(false, ring.offer(8 * 64), "size 8 holds 7");
            assertEquals(7, ring.count());
            assertEquals(0, ring.freeCount());
            for (long p = 1; p <= 7; p++) {
                assertEquals(p * 64, ring.poll());
            }
            assertEquals(0L, ring.poll());
        }
    }

    @Test
    void burstOfMbufsCrossesTheRingWithItsData() {
        try (NativeRing ring = NativeRing.create("ring_mbufs", 64, true, true)) {
            MbufBurst out = new MbufBurst();
            assertTrue(out.allocate(pool, 20));
            long[] mbufs = new long[20];
            for (int i = 0; i < 20; i++) {
                out.setDataLength(i, 100 + i);
                NativeMemory.ALL.set(java.lang.foreign.ValueLayout.JAVA_INT, out.dataAddress(i), 0x10000 + i);
                mbufs[i] = out.mbuf(i);
            }
            assertEquals(20, out.enqueue(ring));
            assertTrue(out.isEmpty());
            assertEquals(20, ring.count());

            MbufBurst in = new MbufBurst();
            assertEquals(20, in.dequeue(ring));
            for (int i = 0; i < 20; i++) {
                assertEquals(mbufs[i], in.mbuf(i));
                assertEquals(100 + i, in.dataLength(i));
                assertEquals(0x10000 + i, NativeMemory.ALL.get(java.lang.foreign.ValueLayout.JAVA_INT,
                        in.dataAddress(i)));
            }
            in.freeAll();
        }
    }

    @Test
    void fullRingTakesWhatFitsAndTheRestStaysInTheBurst() {
        try (NativeRing ring = NativeRing.create("ring_full", 16, true, true)) {
            MbufBurst out = new MbufBurst();
            assertTrue(out.allocate(pool, 32));
            long seventeenth = out.mbuf(15);
            assertEquals(15, out.enqueue(ring));
            assertEquals(17, out.size());
            assertEquals(seventeenth, out.mbuf(0), "unsent mbufs move to the front in order");
            out.freeAll();
            MbufBurst in = new MbufBurst();
            assertEquals(15, in.dequeue(ring));
            in.freeAll();
        }
    }

    @Test
    void sizeThatIsNotAPowerOfTwoFailsWithDpdksReason() {
        DpdkException e = assertThrows(DpdkException.class, () -> NativeRing.create("ring_bad", 1000, true, true));
        assertTrue(e.getMessage().startsWith("rte_ring_create(ring_bad, size 1000)"), e.getMessage());
        assertEquals(22, e.errorNumber()); // EINVAL
    }
}
