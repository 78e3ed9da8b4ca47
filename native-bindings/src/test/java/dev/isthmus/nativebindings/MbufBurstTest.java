package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MbufBurst's Java-side mbuf edits against DPDK's own functions (through the shim) on a twin mbuf: both must leave
 * the mbuf header in the same state.
 */
class MbufBurstTest {

    private static final int HEADROOM = 128;

    private Mempool pool;
    private int availableAtStart;
    private MbufBurst burst;

    @BeforeEach
    void allocateTwins() {
        Eal.shared();
        pool = Mempool.create("burst_test_pool", 127, 0, Mempool.DEFAULT_DATA_ROOM);
        availableAtStart = pool.available();
        burst = new MbufBurst();
        assertTrue(burst.allocate(pool, 2));
        burst.setDataLength(0, 100);
        burst.setDataLength(1, 100);
    }

    @AfterEach
    void freeAndCheckPool() {
        burst.freeAll();
        assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    @Test
    void prependMatchesRtePktmbufPrepend() {
        long address = burst.prepend(0, 50);
        long reference = Shim.prepend(burst.mbuf(1), (short) 50);
        assertEquals(reference - bufAddr(burst.mbuf(1)), address - bufAddr(burst.mbuf(0)));
        assertSameHeader();
        assertEquals(150, burst.dataLength(0));
        assertEquals(address, burst.dataAddress(0));
    }

    @Test
    void prependBeyondTheHeadroomFailsAndChangesNothing() {
        assertEquals(0, burst.prepend(0, HEADROOM + 1));
        assertEquals(0, Shim.prepend(burst.mbuf(1), (short) (HEADROOM + 1)));
        assertSameHeader();
        assertEquals(100, burst.dataLength(0));
    }

    @Test
    void adjMatchesRtePktmbufAdj() {
        long address = burst.adj(0, 14);
        long reference = Shim.adj(burst.mbuf(1), (short) 14);
        assertEquals(reference - bufAddr(burst.mbuf(1)), address - bufAddr(burst.mbuf(0)));
        assertSameHeader();
        assertEquals(0, burst.adj(0, 87), "longer than the packet");
    }

    @Test
    void appendAndTrimMatchDpdk() {
        long tail = burst.append(0, 40);
        long reference = Shim.append(burst.mbuf(1), (short) 40);
        assertEquals(reference - bufAddr(burst.mbuf(1)), tail - bufAddr(burst.mbuf(0)));
        assertSameHeader();
        assertTrue(burst.trim(0, 30));
        assertEquals(0, Shim.trim(burst.mbuf(1), (short) 30));
        assertSameHeader();
        assertFalse(burst.trim(0, 111));
        assertEquals(0, burst.append(0, 5000), "beyond the buffer");
        assertEquals(110, burst.dataLength(0));
    }

    @Test
    void txOffloadMatchesTheCBitfields() {
        long flags = TxOffloads.MBUF_IPV4 | TxOffloads.MBUF_IP_CKSUM | TxOffloads.MBUF_UDP_CKSUM;
        burst.setTxOffload(0, 14, 20, flags);
        Shim.setTxOffload(burst.mbuf(1), (short) 14, (short) 20, (short) 0, flags);
        assertEquals(field64(burst.mbuf(1), MbufLayout.TX_OFFLOAD), field64(burst.mbuf(0), MbufLayout.TX_OFFLOAD));
        assertEquals(field64(burst.mbuf(1), MbufLayout.OL_FLAGS), field64(burst.mbuf(0), MbufLayout.OL_FLAGS));
        assertEquals(flags, field64(burst.mbuf(0), MbufLayout.OL_FLAGS) & TxOffloads.MBUF_TX_MASK);
    }

    @Test
    void tailroomIsWhatRtePktmbufAppendAccepts() {
        int tailroom = burst.tailroom(1);
        assertEquals(Mempool.DEFAULT_DATA_ROOM - HEADROOM - 100, tailroom);
        assertEquals(0, Shim.append(burst.mbuf(1), (short) (tailroom + 1)), "DPDK refuses one byte more");
        assertTrue(Shim.append(burst.mbuf(1), (short) tailroom) != 0, "and takes exactly the tailroom");
        burst.setDataLength(0, 100 + tailroom);
        assertEquals(0, burst.tailroom(0));
    }

    @Test
    void roomIsDataLengthPlusTailroomWhateverTheLength() {
        int room = burst.room(1);
        assertEquals(Mempool.DEFAULT_DATA_ROOM - HEADROOM, room);
        for (int length : new int[] {0, 1, 100, room - 1, room}) {
            burst.setDataLength(1, length);
            assertEquals(burst.dataLength(1) + burst.tailroom(1), burst.room(1), "at length " + length);
        }
        assertEquals(0, burst.tailroom(1));
    }

    @Test
    void olFlagsAndPortAreTheMbufFields() {
        burst.setTxOffload(0, 14, 20, TxOffloads.MBUF_IPV4);
        assertEquals(field64(burst.mbuf(0), MbufLayout.OL_FLAGS), burst.olFlags(0));
        NativeMemory.ALL.set(JAVA_SHORT, burst.mbuf(1) + MbufLayout.PORT, (short) 0xBEEF);
        assertEquals(0xBEEF, burst.port(1));
    }

    @Test
    void lengthBeyondTheBufferIsACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> burst.setDataLength(0, 5000));
        assertThrows(IndexOutOfBoundsException.class, () -> burst.dataLength(2));
    }

    @Test
    void takenMbufsLeaveHolesThatCompactCloses() {
        assertTrue(burst.allocate(pool, 3)); // slots 2..4
        long third = burst.mbuf(2);
        long taken = burst.take(1);
        MbufBurst other = new MbufBurst();
        other.add(burst, 3);
        other.add(taken);
        assertEquals(2, other.size());
        assertEquals(100, other.dataLength(1), "add(long) reads the length from the mbuf");
        burst.compact();
        assertEquals(3, burst.size());
        assertEquals(third, burst.mbuf(1), "order kept");
        other.freeAll();
    }

    private long bufAddr(long mbuf) {
        return NativeMemory.ALL.get(JAVA_LONG, mbuf + MbufLayout.BUF_ADDR);
    }

    private static long field64(long mbuf, long offset) {
        return NativeMemory.ALL.get(JAVA_LONG, mbuf + offset);
    }

    private void assertSameHeader() {
        long a = burst.mbuf(0);
        long b = burst.mbuf(1);
        assertEquals(NativeMemory.ALL.get(JAVA_SHORT, b + MbufLayout.DATA_OFF),
                NativeMemory.ALL.get(JAVA_SHORT, a + MbufLayout.DATA_OFF), "data_off");
        assertEquals(NativeMemory.ALL.get(JAVA_SHORT, b + MbufLayout.DATA_LEN),
                NativeMemory.ALL.get(JAVA_SHORT, a + MbufLayout.DATA_LEN), "data_len");
        assertEquals(NativeMemory.ALL.get(JAVA_INT, b + MbufLayout.PKT_LEN),
                NativeMemory.ALL.get(JAVA_INT, a + MbufLayout.PKT_LEN), "pkt_len");
    }
}
