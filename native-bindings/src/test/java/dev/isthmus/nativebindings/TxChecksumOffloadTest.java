package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TX checksum offload end to end: UDP/IPv4 frames leave a net_tap port with zero IPv4 header checksum and only the
 * pseudo-header sum in the UDP checksum, marked through {@link MbufBurst#setTxOffload}; the kernel on the TAP side,
 * which drops datagrams whose checksums are wrong, must deliver them to a socket. A frame sent first without the
 * offload request is the control: the kernel drops it, so the one datagram that arrives is the offloaded one.
 */
class TxChecksumOffloadTest {

    private static final String IFACE = "isthmuscsum0";
    private static final byte[] KERNEL_ADDRESS = {(byte) 198, 18, 99, 1};
    private static final byte[] PORT_ADDRESS = {(byte) 198, 18, 99, 2};

    private Mempool pool;
    private int availableAtStart;
    private EthPort port;

    @BeforeEach
    void createTapPort() throws IOException, InterruptedException {
        Prerequisites.requireRoot("the TAP device");
        Eal.shared();
        pool = Mempool.create("csum_pool", 1023); // net_tap fills all 256 RX descriptors at setup
        availableAtStart = pool.available();
        port = EthPort.createVdev("net_tap_csum", "iface=" + IFACE);
        ip("addr", "add", "198.18.99.1/30", "dev", IFACE);
        ip("link", "set", IFACE, "up");
    }

    @AfterEach
    void closePort() {
        // Closed whatever happened, so that a failure here does not become every later test's "name in use".
        try {
            if (port != null) {
                port.close(); // removes the TAP interface with it
            }
            if (pool != null) {
                assertEquals(availableAtStart, pool.available(), "every mbuf back in the pool");
            }
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    @Test
    void kernelAcceptsTheChecksumsThePortFilledIn() throws Exception {
        long offloads = TxOffloads.PORT_IPV4_CKSUM | TxOffloads.PORT_UDP_CKSUM;
        assertTrue(port.info().supportsTxOffloads(offloads), "net_tap offers IPv4 and UDP checksum offload");
        port.configure(1, 1, offloads);
        port.setupRxQueue(0, 256, pool);
        port.setupTxQueue(0, 256);
        port.start();

        byte[] kernelMac = mac(Files.readString(Path.of("/sys/class/net", IFACE, "address")).trim());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(KERNEL_ADDRESS),
                0))) {
            socket.setSoTimeout(10_000);
            byte[] control = "without offload".getBytes(StandardCharsets.US_ASCII);
            byte[] offloaded = "checksums by the port".getBytes(StandardCharsets.US_ASCII);
            MbufBurst burst = new MbufBurst();
            assertTrue(burst.allocate(pool, 2));
            write(burst, 0, udpFrame(kernelMac, port.macAddress(), socket.getLocalPort(), control));
            write(burst, 1, udpFrame(kernelMac, port.macAddress(), socket.getLocalPort(), offloaded));
            burst.setTxOffload(1, 14, 20, TxOffloads.MBUF_IPV4 | TxOffloads.MBUF_IP_CKSUM | TxOffloads.MBUF_UDP_CKSUM);
            assertEquals(2, burst.transmit(port, 0));

            DatagramPacket received = new DatagramPacket(new byte[256], 256);
            socket.receive(received);
            byte[] payload = Arrays.copyOf(received.getData(), received.getLength());
            assertArrayEquals(offloaded, payload, "the control frame (bad checksums) must have been dropped");
        }
    }

    private static void write(MbufBurst burst, int i, byte[] frame) {
        MemorySegment.copy(frame, 0, NativeMemory.ALL, JAVA_BYTE, burst.dataAddress(i), frame.length);
        burst.setDataLength(i, frame.length);
    }

    /** Ethernet + IPv4 (checksum 0) + UDP (checksum = pseudo-header sum, as DPDK's offload expects) + payload. */
    private static byte[] udpFrame(byte[] dstMac, long srcMac, int dstPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + udpLength); // big-endian, network order
        f.put(dstMac);
        for (int shift = 40; shift >= 0; shift -= 8) {
            f.put((byte) (srcMac >>> shift));
        }
        f.putShort((short) 0x0800);
        // RFC 791 §3.1: version 4, IHL 5, total length, DF, TTL 64, protocol 17 (UDP), header checksum left 0.
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(PORT_ADDRESS).put(KERNEL_ADDRESS);
        // RFC 768: the checksum covers a pseudo header; with offload the field carries the pseudo header's folded
        // sum, not complemented (DPDK's rte_ipv4_phdr_cksum), and the port completes it.
        f.putShort((short) 40000).putShort((short) dstPort).putShort((short) udpLength)
                .putShort((short) pseudoHeaderSum(udpLength));
        f.put(payload);
        return f.array();
    }

    private static int pseudoHeaderSum(int udpLength) {
        long sum = word(PORT_ADDRESS, 0) + word(PORT_ADDRESS, 2) + word(KERNEL_ADDRESS, 0) + word(KERNEL_ADDRESS, 2)
                + 17 + udpLength;
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    private static byte[] mac(String text) {
        String[] parts = text.split(":");
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
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
