package dev.isthmus.dns.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.xfr.KnotPrimary;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel-socket transport against real clients (kdig, dig) and a raw socket client. */
class KernelTransportTest {
    static ZoneCatalog catalog;
    static KernelDnsServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        catalog = new ZoneCatalog();
        try (InputStream in = KernelTransportTest.class.getResourceAsStream("/zones/example.test.zone")) {
            String sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            catalog.replace("example.test", sample + "big TXT \"" + "x".repeat(250) + "\" \"" + "y".repeat(250)
                + "\" \"" + "z".repeat(250) + "\"\n");
        }
        port = freePort();
        server = new KernelDnsServer(catalog, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            new InetSocketAddress(InetAddress.ofLiteral("::1"), port)), 2, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** @return a port free on loopback for both UDP and TCP now ({@link KnotPrimary#freePort}) */
    static int freePort() throws Exception {
        return KnotPrimary.freePort();
    }

    static Map<String, Object> kdig(String... args) throws Exception {
        List<String> list = List.of(args);
        int split = list.indexOf("--");
        return Kdig.ask("127.0.0.1", port, list.subList(0, split), list.subList(split + 1, list.size())).get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> section(Map<String, Object> m, String name) {
        return (List<Map<String, Object>>) m.getOrDefault(name, List.of());
    }

    @Test
    void kdigOverUdp() throws Exception {
        Map<String, Object> m = kdig("+notcp", "--", "www.example.test", "A");
        assertEquals(1L, m.get("AA"));
        assertEquals(0L, m.get("RCODE"));
        assertEquals("198.18.0.80", section(m, "answerRRs").get(0).get("rdataA"));
    }

    @Test
    void kdigOverIpv6UdpAndTcp() throws Exception {
        for (String transport : new String[] {"+notcp", "+tcp"}) {
            Map<String, Object> m = Kdig.ask("::1", port, List.of(transport), List.of("www.example.test", "AAAA")).get(0);
            assertEquals("2001:db8::80", section(m, "answerRRs").get(0).get("rdataAAAA"), transport);
        }
    }

    @Test
    void kdigOverTcp() throws Exception {
        Map<String, Object> m = kdig("+tcp", "--", "mail.example.test", "AAAA");
        assertEquals("2001:db8::25", section(m, "answerRRs").get(0).get("rdataAAAA"));
    }

    @Test
    void kdigWithEdnsAndDnssecOk() throws Exception {
        Map<String, Object> m = kdig("+dnssec", "+bufsize=4096", "--", "nope.example.test", "A");
        assertEquals(3L, m.get("RCODE"));
        Map<String, Object> opt = section(m, "additionalRRs").stream()
            .filter(r -> Long.valueOf(41).equals(r.get("TYPE"))).findFirst().orElseThrow();
        assertEquals(1232L, opt.get("CLASS"), "our advertised UDP payload size");
    }

    @Test
    void truncatedOverUdpThenCompleteOverTcp() throws Exception {
        Map<String, Object> udp = kdig("+notcp", "+noedns", "+ignore", "--", "big.example.test", "TXT");
        assertEquals(1L, udp.get("TC"));
        assertTrue(((Long) udp.get("msgLength")) <= 512);
        Map<String, Object> tcp = kdig("+tcp", "--", "big.example.test", "TXT");
        assertEquals(0L, tcp.get("TC"));
        assertEquals(1, section(tcp, "answerRRs").size());
        // dig retries over TCP by itself when it sees TC.
        Prerequisites.requireProgram("dig", "dnsutils");
        Shell.Result dig = Shell.run(30, "dig", "@127.0.0.1", "-p", Integer.toString(port), "+noedns", "+short",
            "+time=2", "+tries=2", "big.example.test", "TXT");
        assertEquals(0, dig.exitCode(), dig.output());
        assertTrue(dig.output().contains("x".repeat(250)), dig.output());
    }

    @Test
    void severalQueriesOnOneTcpConnectionThenIdleClose() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            String[] names = {"www.example.test", "mail.example.test", "ftp.example.test"};
            for (int i = 0; i < names.length; i++) {
                byte[] q = new MessageWriter(100 + i, 0).question(DnsName.of(names[i]), RecordType.A, 1).toByteArray();
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < names.length; i++) {
                byte[] r = new byte[in.readUnsignedShort()];
                in.readFully(r);
                Message m = MessageReader.read(r);
                assertEquals(100 + i, m.id(), "answers come in query order (RFC 7766 §6.2.1.1)");
                assertEquals(DnsName.of(names[i]), m.questions().get(0).name());
            }
            // RFC 7766 §6.2.3: the server closes an idle connection (1 s here); read sees the end of stream.
            assertEquals(-1, in.read());
        }
    }

    @Test
    void rawUdpQueryKeepsTheClientsCase() throws Exception {
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(5000);
            byte[] q = new MessageWriter(77, 0).question(DnsName.of("wWw.EXAMPLE.test"), RecordType.A, 1).toByteArray();
            d.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            d.receive(p);
            Message m = MessageReader.read(p.getData(), 0, p.getLength());
            assertEquals("wWw.EXAMPLE.test.", m.questions().get(0).name().toString());
        }
    }

    @Test
    void parsesListenAddresses() {
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("::1"), 53), KernelDnsMain.parseAddress("[::1]:53"));
        assertEquals(5353, KernelDnsMain.parseAddress("127.0.0.1:5353").getPort());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> KernelDnsMain.parseAddress("localhost"));
    }
}
