package dev.isthmus.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Port control and the burst data path on net_null, which receives endless 64-byte packets and drops what it sends. */
class EthPortTest {

    private Mempool pool;
    private int availableAtStart;
    private EthPort port;

    @BeforeEach
    void createPort() {
        Eal.shared();
        pool = Mempool.create("port_test_pool", 1023);
        availableAtStart = pool.available();
        port = EthPort.createVdev("net_null_ptest", "size=64");
    }

    @AfterEach
    void closePort() {
        port.close();
        assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    private void startWithOneQueue() {
        port.configure(1, 1, 0);
        port.setupRxQueue(0, 512, pool);
        port.setupTxQueue(0, 512);
        port.start();
    }

    @Test
    void describesItself() {
        assertEquals("net_null_ptest", port.name());
        assertEquals(port.id(), EthPort.byName("net_null_ptest").id());
        DeviceInfo info = port.info();
        assertEquals("net_null", info.driverName());
        assertTrue(info.maxRxQueues() >= 1 && info.maxTxQueues() >= 1);
        assertEquals(17, port.macAddressString().length());
        assertEquals(port.macAddress(), Long.parseLong(port.macAddressString().replace(":", ""), 16));
    }

    @Test
    void receivesFullBurstsAndSendsThem() {
        startWithOneQueue();
        assertTrue(port.isStarted());
        assertTrue(port.link().up());
        MbufBurst burst = new MbufBurst();
        assertEquals(MbufBurst.MAX, burst.receive(port, 0));
        for (int i = 0; i < burst.size(); i++) {
            assertEquals(64, burst.dataLength(i));
        }
        assertEquals(MbufBurst.MAX, burst.transmit(port, 0), "net_null takes everything (and frees it)");
        assertTrue(burst.isEmpty());
        assertEquals(MbufBurst.MAX, burst.receive(port, 0));
        burst.freeAll();
        PortStats stats = port.stats();
        assertEquals(2L * MbufBurst.MAX, stats.rxPackets());
        assertEquals(MbufBurst.MAX, stats.txPackets());
        port.resetStats();
        assertEquals(0, port.stats().rxPackets());
        port.stop();
        assertFalse(port.isStarted());
    }

    @Test
    void severalRxQueuesGetRssAndOneDoesNot() {
        long capabilities = port.info().rssHashCapabilities();
        assertTrue(capabilities != 0, "net_null emulates RSS");
        port.configure(2, 1, 0);
        long configured = port.rssHashFunctions();
        assertTrue(configured != 0, "RSS on with two RX queues");
        assertEquals(configured, configured & capabilities, "only flow types the device supports");
        port.configure(1, 1, 0);
        assertEquals(0, port.rssHashFunctions(), "no RSS with one RX queue");
    }

    @Test
    void promiscuousModeAndMtuAreSettable() {
        startWithOneQueue();
        port.setPromiscuous(true);
        assertTrue(port.isPromiscuous());
        port.setMtu(1400);
        assertEquals(1400, port.mtu());
    }

    @Test
    void unsupportedTxOffloadIsRefusedWithTheCallNamed() {
        assertFalse(port.info().supportsTxOffloads(TxOffloads.PORT_UDP_CKSUM), "net_null computes no checksums");
        DpdkException e = assertThrows(DpdkException.class, () -> port.configure(1, 1, TxOffloads.PORT_UDP_CKSUM));
        assertEquals(22, e.errorNumber()); // EINVAL
        assertTrue(e.getMessage().startsWith("rte_eth_dev_configure(port " + port.id()), e.getMessage());
    }

    @Test
    void queueSetupBeforeConfigureIsACallerBugNotACrash() {
        assertThrows(IllegalStateException.class, () -> port.setupRxQueue(0, 512, pool));
        assertThrows(IllegalStateException.class, () -> port.start());
        port.configure(1, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> port.setupTxQueue(1, 512));
    }
}
