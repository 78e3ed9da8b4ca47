package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MempoolTest {

    private Mempool pool;
    private int availableAtStart;

    @BeforeEach
    void createPool() {
        Eal.shared();
        // No per-lcore cache, so that exhaustion happens at exactly the pool's size.
        pool = Mempool.create("mp_test", 63, 0, Mempool.DEFAULT_DATA_ROOM);
        availableAtStart = pool.available();
    }

    @AfterEach
    void poolIsWholeThenClosed() {
        // The pool is closed even when a test or these checks fail: left open, its name would make every later
        // test's createPool fail, hiding the one real failure among many false ones.
        try {
            assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
            assertEquals(0, pool.inUse());
        } finally {
            pool.close();
        }
    }

    @Test
    void newPoolHasEveryMbufAvailable() {
        assertEquals(63, availableAtStart);
        assertEquals(63, pool.size());
        assertTrue(pool.address() != 0);
    }

    @Test
    void allocationAndBulkFreeAreCounted() {
        MbufBurst burst = new MbufBurst();
        assertTrue(burst.allocate(pool, 32));
        assertEquals(32, pool.inUse());
        assertEquals(availableAtStart - 32, pool.available());
        for (int i = 0; i < burst.size(); i++) {
            assertEquals(0, burst.dataLength(i));
            assertTrue(burst.dataAddress(i) > burst.mbuf(i), "data lies in the mbuf's buffer, after its header");
        }
        burst.freeAll();
        assertTrue(burst.isEmpty());
    }

    @Test
    void exhaustedPoolRefusesWholeBurstAndChangesNothing() {
        MbufBurst first = new MbufBurst();
        MbufBurst second = new MbufBurst();
        assertTrue(first.allocate(pool, 32));
        assertFalse(second.allocate(pool, 32), "31 left, 32 asked: all or none");
        assertTrue(second.isEmpty());
        assertEquals(31, pool.available());
        first.freeAll();
    }

    @Test
    void duplicateNameFailsWithDpdksReason() {
        DpdkException e = assertThrows(DpdkException.class, () -> Mempool.create("mp_test", 63));
        assertTrue(e.getMessage().startsWith("rte_pktmbuf_pool_create(mp_test"), e.getMessage());
    }
}
