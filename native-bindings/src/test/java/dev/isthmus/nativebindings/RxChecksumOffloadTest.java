package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RX checksum offload end to end: a net_tap port configured with {@code RxOffloads.PORT_IPV4_CKSUM | PORT_UDP_CKSUM}
 * keeps them ({@link EthPort#rxOffloads()}), and a UDP/IPv4 datagram the kernel sends into the TAP interface (its
 * checksums computed by the kernel, so right) arrives with both checksums reported GOOD in the mbuf's ol_flags.
 */
class RxChecksumOffloadTest {

    private static final String IFACE = "isthmusrxcs0";
    private static final String PORT_ADDRESS = "198.18.98.2";
    private static final int DESTINATION_PORT = 7777;

    private Mempool pool;
    private int availableAtStart;
    private EthPort port;

    @BeforeEach
    void createTapPort() throws IOException, InterruptedException {
        Eal.shared();
        pool = Mempool.create("rxcsum_pool", 1023); // net_tap fills all 256 RX descriptors at setup
        availableAtStart = pool.available();
        port = EthPort.createVdev("net_tap_rxcsum", "iface=" + IFACE);
        ip("addr", "add", "198.18.98.1/30", "dev", IFACE);
        ip("link", "set", IFACE, "up");
        // No ARP on the port side: the kernel is told the port's MAC.
        ip("neigh", "replace", PORT_ADDRESS, "lladdr", port.macAddressString(), "dev", IFACE, "nud", "permanent");
    }

    @AfterEach
    void closePort() {
        port.close(); // removes the TAP interface with it
        assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    @Test
    void kernelDatagramArrivesWithBothChecksumsReportedGood() throws Exception {
        long offloads = RxOffloads.PORT_IPV4_CKSUM | RxOffloads.PORT_UDP_CKSUM;
        assertTrue(port.info().supportsRxOffloads(offloads), "net_tap offers IPv4 and UDP RX checksum offload");
        port.configure(1, 1, offloads, 0);
        assertEquals(offloads, port.rxOffloads() & offloads, "configured RX offloads");
        port.setupRxQueue(0, 256, pool);
        port.setupTxQueue(0, 256);
        port.start();

        byte[] payload = "verified by the port".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(PORT_ADDRESS),
                    DESTINATION_PORT));
        }
        long flags = olFlagsOfTheDatagram(payload.length);
        assertEquals(RxOffloads.MBUF_IP_CKSUM_GOOD, flags & RxOffloads.MBUF_IP_CKSUM_MASK, "IPv4 header checksum");
        assertEquals(RxOffloads.MBUF_L4_CKSUM_GOOD, flags & RxOffloads.MBUF_L4_CKSUM_MASK, "UDP checksum");
    }

    /** Polls the port until the UDP datagram to {@link #DESTINATION_PORT} arrives (the kernel sends IPv6 chatter). */
    private long olFlagsOfTheDatagram(int payloadLength) throws InterruptedException {
        MbufBurst burst = new MbufBurst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int n = burst.receive(port, 0);
            try {
                for (int i = 0; i < n; i++) {
                    long frame = burst.dataAddress(i);
                    boolean udp4 = u16(frame + 12) == 0x0800 && u8(frame + 23) == 17;
                    if (udp4 && u16(frame + 36) == DESTINATION_PORT && u16(frame + 38) == 8 + payloadLength) {
                        return NativeMemory.ALL.get(JAVA_LONG, burst.mbuf(i) + MbufLayout.OL_FLAGS);
                    }
                }
            } finally {
                burst.freeAll();
            }
            Thread.sleep(10);
        }
        return fail("the datagram did not arrive");
    }

    private static int u8(long address) {
        return NativeMemory.ALL.get(JAVA_BYTE, address) & 0xFF;
    }

    private static int u16(long address) {
        return u8(address) << 8 | u8(address + 1);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ip " + String.join(" ", args) + " hung");
        assertEquals(0, p.exitValue(), "ip " + String.join(" ", args) + ": " + out);
    }
}
