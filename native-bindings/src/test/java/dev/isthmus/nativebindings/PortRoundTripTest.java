package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Packets written into mbufs, sent through one end of a net_ring pair, received on the other, bytes compared. */
class PortRoundTripTest {

    private static final int PACKETS = 20;

    private Mempool pool;
    private NativeRing aToB;
    private NativeRing bToA;
    private EthPort a;
    private EthPort b;
    private int availableAtStart;

    @BeforeEach
    void createPair() {
        Eal.shared();
        pool = Mempool.create("rt_pool", 1023);
        availableAtStart = pool.available();
        aToB = NativeRing.create("rt_a2b", 1024, true, true);
        bToA = NativeRing.create("rt_b2a", 1024, true, true);
        a = EthPort.fromRings("rt_a", bToA, aToB);
        b = EthPort.fromRings("rt_b", aToB, bToA);
        for (EthPort port : new EthPort[] {a, b}) {
            port.configure(1, 1, 0);
            port.setupRxQueue(0, 256, pool);
            port.setupTxQueue(0, 256);
            port.start();
        }
    }

    @AfterEach
    void closeAll() {
        a.close();
        b.close();
        aToB.close();
        bToA.close();
        assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    @Test
    void packetsCrossThePairByteForByte() {
        MbufBurst out = new MbufBurst();
        assertTrue(out.allocate(pool, PACKETS));
        byte[][] sent = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            sent[i] = frame(i, 60 + i * 13);
            MemorySegment.copy(sent[i], 0, NativeMemory.ALL, JAVA_BYTE, out.dataAddress(i), sent[i].length);
            out.setDataLength(i, sent[i].length);
        }
        assertEquals(PACKETS, out.transmit(a, 0));
        assertTrue(out.isEmpty());

        MbufBurst in = new MbufBurst();
        assertEquals(PACKETS, in.receive(b, 0));
        for (int i = 0; i < PACKETS; i++) {
            byte[] got = new byte[in.dataLength(i)];
            MemorySegment.copy(NativeMemory.ALL, JAVA_BYTE, in.dataAddress(i), got, 0, got.length);
            assertArrayEquals(sent[i], got, "packet " + i);
        }
        in.freeAll();
        assertEquals(0, new MbufBurst().receive(a, 0), "nothing comes back on the sending side");
        assertEquals(PACKETS, a.stats().txPackets());
        assertEquals(PACKETS, b.stats().rxPackets());
    }

    private static byte[] frame(int seq, int length) {
        byte[] f = new byte[length];
        for (int j = 0; j < length; j++) {
            f[j] = (byte) (seq * 31 + j);
        }
        return f;
    }
}
