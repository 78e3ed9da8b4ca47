package dev.isthmus.nativebindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RX checksum offload end to end through a net_tap port configured with {@code RxOffloads.PORT_IPV4_CKSUM |
 * PORT_UDP_CKSUM}: the port keeps them ({@link EthPort#rxOffloads()}), and the verdicts it writes into ol_flags for
 * frames coming in from the kernel side are the ones the DNS stage relies on — GOOD for what the kernel's UDP socket
 * sends, BAD for a wrong UDP or IPv4 header checksum, and for a zero UDP checksum over IPv4 (none sent, legal) NONE,
 * not BAD. The malformed frames are written onto the TAP interface with an AF_PACKET socket (python3, no scapy).
 */
class RxChecksumOffloadTest {

    private static final String IFACE = "isthmusrxcs0";
    private static final String KERNEL_ADDRESS = "198.18.98.1";
    private static final String PORT_ADDRESS = "198.18.98.2";
    private static final int DESTINATION_PORT = 7777;

    /**
     * Writes one Ethernet frame from the kernel's address to the port's: UDP over IPv4 or IPv6 from {@code sport} to
     * {@link #DESTINATION_PORT}, its checksums right unless {@code damage} says otherwise.
     */
    private static final String FRAME_WRITER = """
            import socket, struct, sys
            iface, mac, family, damage = sys.argv[1:5]
            sport, dport, source, destination = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8]
            def fold(b):
                b += b'\\0' * (len(b) % 2)
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                while s >> 16:
                    s = (s & 0xffff) + (s >> 16)
                return s
            payload = b'checksum verdict'
            length = 8 + len(payload)
            if family == '4':
                src, dst = socket.inet_aton(source), socket.inet_aton(destination)
                ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + length, 1, 0, 64, 17, 0, src, dst)
                header_checksum = ~fold(ip) & 0xffff ^ (0x1111 if damage == 'ip' else 0)
                ip = ip[:10] + struct.pack('!H', header_checksum) + ip[12:]
                pseudo = src + dst + struct.pack('!BBH', 0, 17, length)
                ethertype = 0x0800
            else:
                src, dst = socket.inet_pton(socket.AF_INET6, 'fe80::1'), socket.inet_pton(socket.AF_INET6, 'fe80::2')
                ip = struct.pack('!IHBB16s16s', 6 << 28, length, 17, 64, src, dst)
                pseudo = src + dst + struct.pack('!IxxxB', length, 17)
                ethertype = 0x86dd
            udp = struct.pack('!HHHH', sport, dport, length, 0) + payload
            checksum = ~fold(pseudo + udp) & 0xffff or 0xffff
            checksum = 0 if damage == 'zero' else checksum ^ 0x1234 if damage == 'udp' else checksum
            udp = udp[:6] + struct.pack('!H', checksum) + udp[8:]
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((iface, 0))
            s.send(bytes.fromhex(mac.replace(':', '')) + bytes.fromhex('020000000001') + struct.pack('!H', ethertype)
                   + ip + udp)
            """;

    private Mempool pool;
    private int availableAtStart;
    private EthPort port;

    @BeforeEach
    void createTapPort() throws IOException, InterruptedException {
        Prerequisites.requireRoot("the TAP device");
        Eal.shared();
        pool = Mempool.create("rxcsum_pool", 1023); // net_tap fills all 256 RX descriptors at setup
        availableAtStart = pool.available();
        port = EthPort.createVdev("net_tap_rxcsum", "iface=" + IFACE);
        run("ip", "addr", "add", KERNEL_ADDRESS + "/30", "dev", IFACE);
        run("ip", "link", "set", IFACE, "up");
        // No ARP on the port side: the kernel is told the port's MAC.
        run("ip", "neigh", "replace", PORT_ADDRESS, "lladdr", port.macAddressString(), "dev", IFACE, "nud",
                "permanent");
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
    void thePortReportsEachChecksumsVerdictInOlFlags() throws Exception {
        long offloads = RxOffloads.PORT_IPV4_CKSUM | RxOffloads.PORT_UDP_CKSUM;
        assertTrue(port.info().supportsRxOffloads(offloads), "net_tap offers IPv4 and UDP RX checksum offload");
        port.configure(1, 1, offloads, 0);
        assertEquals(offloads, port.rxOffloads() & offloads, "configured RX offloads");
        port.setupRxQueue(0, 256, pool);
        port.setupTxQueue(0, 256);
        port.start();

        int kernelSourcePort;
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] payload = "verified by the port".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(PORT_ADDRESS),
                    DESTINATION_PORT));
            kernelSourcePort = socket.getLocalPort();
        }
        long flags = olFlagsOf(kernelSourcePort);
        assertEquals(RxOffloads.MBUF_IP_CKSUM_GOOD, flags & RxOffloads.MBUF_IP_CKSUM_MASK, "kernel's IPv4 header");
        assertEquals(RxOffloads.MBUF_L4_CKSUM_GOOD, flags & RxOffloads.MBUF_L4_CKSUM_MASK, "kernel's UDP checksum");

        flags = olFlagsOfFrame("4", "udp", 40001);
        assertEquals(RxOffloads.MBUF_IP_CKSUM_GOOD, flags & RxOffloads.MBUF_IP_CKSUM_MASK, "IPv4, wrong UDP sum");
        assertEquals(RxOffloads.MBUF_L4_CKSUM_BAD, flags & RxOffloads.MBUF_L4_CKSUM_MASK, "IPv4, wrong UDP sum");
        flags = olFlagsOfFrame("4", "ip", 40002);
        assertEquals(RxOffloads.MBUF_IP_CKSUM_BAD, flags & RxOffloads.MBUF_IP_CKSUM_MASK, "wrong IPv4 header sum");
        flags = olFlagsOfFrame("4", "zero", 40003);
        assertEquals(RxOffloads.MBUF_L4_CKSUM_NONE, flags & RxOffloads.MBUF_L4_CKSUM_MASK,
                "IPv4, zero UDP checksum: none sent, not a wrong one");
        flags = olFlagsOfFrame("6", "none", 40004);
        assertEquals(RxOffloads.MBUF_L4_CKSUM_GOOD, flags & RxOffloads.MBUF_L4_CKSUM_MASK, "IPv6, right UDP sum");
        flags = olFlagsOfFrame("6", "udp", 40005);
        assertEquals(RxOffloads.MBUF_L4_CKSUM_BAD, flags & RxOffloads.MBUF_L4_CKSUM_MASK, "IPv6, wrong UDP sum");
    }

    private long olFlagsOfFrame(String family, String damage, int sourcePort) throws Exception {
        run("python3", "-c", FRAME_WRITER, IFACE, port.macAddressString(), family, damage,
                Integer.toString(sourcePort), Integer.toString(DESTINATION_PORT), KERNEL_ADDRESS, PORT_ADDRESS);
        return olFlagsOf(sourcePort);
    }

    /** Polls the port until the UDP datagram from {@code sourcePort} arrives (the kernel sends IPv6 chatter too). */
    private long olFlagsOf(int sourcePort) throws InterruptedException {
        MbufBurst burst = new MbufBurst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int n = burst.receive(port, 0);
            try {
                for (int i = 0; i < n; i++) {
                    long frame = burst.dataAddress(i);
                    int ethertype = u16(frame + 12);
                    long udp = ethertype == 0x0800 && u8(frame + 23) == 17 ? frame + 34
                            : ethertype == 0x86DD && u8(frame + 20) == 17 ? frame + 54 : 0;
                    if (udp != 0 && u16(udp) == sourcePort && u16(udp + 2) == DESTINATION_PORT) {
                        return NativeMemory.ALL.get(JAVA_LONG, burst.mbuf(i) + MbufLayout.OL_FLAGS);
                    }
                }
            } finally {
                burst.freeAll();
            }
            Thread.sleep(10);
        }
        return fail("the datagram from port " + sourcePort + " did not arrive");
    }

    private static int u8(long address) {
        return NativeMemory.ALL.get(JAVA_BYTE, address) & 0xFF;
    }

    private static int u16(long address) {
        return u8(address) << 8 | u8(address + 1);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), command[0] + " " + command[1] + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", List.of(command).subList(0, Math.min(3, command.length)))
                + ": " + out);
    }
}
