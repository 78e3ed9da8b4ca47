package dev.isthmus.dns.pipeline;

import static dev.isthmus.dns.pipeline.KdigClient.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.exception.KernelSide;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.transport.DnssecCases;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.dns.transport.SignedZones;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance's DNS end to end: the host's kdig and dig talk to the data plane through a net_tap port; TCP goes
 * through the exception path (an net_af_packet port on a veth into a namespace whose kernel owns the appliance's
 * addresses and runs the kernel-socket transport). Answers are compared with the kernel-socket transport serving
 * the same catalog on loopback.
 */
class DnsOverTapTest {

    private static final String TAP = "isthmusD1";
    private static final String MAC = "02:00:00:00:04:53";
    private static final String V4 = "198.18.4.53";
    private static final String V6 = "2001:db8:4::53";
    private static final String NETNS = "isthmus-dnsx1";

    private static ZoneCatalog catalog;
    private static KernelSide kernelSide;
    private static KernelDnsServer kernelDns;
    private static Dataplane dataplane;
    private static DnsDataPath dns;
    private static KernelDnsServer reference;
    private static int referencePort;
    private static final Queue<String> logLines = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.requireRoot("the TAP device and the namespace");
        Prerequisites.requireProgram("dig", "dnsutils");
        Prerequisites.requireProgram("dnsperf", "dnsperf");
        catalog = sampleCatalog();
        kernelSide = KernelSide.create(NETNS, "isthmus-dx0", "isthmus-dx1");
        Eal.shared();
        PortConfig uplink = PortConfig.of("uplink", "net_tap" + TestDataplanes.uniqueName(""),
                "iface=" + TAP + ",mac=" + MAC).withAddresses(null, List.of(Ipv4Address.parse(V4)),
                List.of(Ipv6Address.parse(V6)));
        PortConfig exception = PortConfig.of("exception", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + kernelSide.dataplaneInterface() + ",qpairs=1");
        dns = new DnsDataPath(catalog, DnsSettings.defaults().withQueryLog(1), logLines::add);
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("dnstap"),
                List.of(uplink, exception)).withPuntPort("exception"),
                StageOrder.pipelines("exception", "uplink", true, lcore -> List.of(dns.dnsStage(lcore))));
        Shell.must("ip", "link", "set", TAP, "up");
        Shell.must("ip", "addr", "add", "198.18.4.1/24", "dev", TAP);
        Shell.must("ip", "-6", "addr", "add", "2001:db8:4::1/64", "dev", TAP, "nodad");
        kernelSide.configure(MAC, List.of(V4 + "/24", V6 + "/64"));
        kernelDns = KernelDnsServer.inNamespace(kernelSide.namespace(), kernelSide.addresses(), catalog, 1,
                Duration.ofSeconds(2), true, null);
        referencePort = freePort();
        reference = new KernelDnsServer(catalog, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                referencePort)), 1, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        try {
            if (reference != null) {
                reference.close();
            }
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
            if (dns != null) {
                dns.close();
            }
        } finally {
            if (kernelDns != null) {
                kernelDns.close();
            }
            if (kernelSide != null) {
                kernelSide.close();
            }
        }
        assertFalse(Shell.run(5, "ip", "link", "show", TAP).ok(), "the TAP interface is gone with its port");
        assertFalse(Shell.run(5, "ip", "netns", "exec", NETNS, "true").ok(), "the namespace is gone");
    }

    static ZoneCatalog sampleCatalog() throws Exception {
        ZoneCatalog c = new ZoneCatalog();
        try (InputStream in = DnsOverTapTest.class.getResourceAsStream("/zones/example.test.zone")) {
            String sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // A TXT too big for 512 octets: truncated over UDP without EDNS, whole over TCP.
            c.replace("example.test", sample + "big TXT \"" + "x".repeat(250) + "\" \"" + "y".repeat(250)
                    + "\" \"" + "z".repeat(250) + "\"\n");
        }
        return c;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Every record type of the sample zone, a CNAME, a wildcard, a referral, NXDOMAIN, NODATA and REFUSED. */
    static final List<String> QUERIES = List.of(
            "example.test", "SOA", "example.test", "NS", "example.test", "MX", "example.test", "TXT",
            "ns1.example.test", "A", "ns1.example.test", "AAAA", "www.example.test", "A", "www.example.test", "AAAA",
            "mail.example.test", "A", "mail.example.test", "TXT", "ftp.example.test", "A", "ftp.example.test", "CNAME",
            "_sip._udp.example.test", "SRV", "host.apps.example.test", "A", "host.apps.example.test", "TXT",
            "www.child.example.test", "A", "child.example.test", "NS", "nope.example.test", "A",
            "www.example.test", "MX", "WwW.ExAmPlE.tEsT", "A", "www.example.org", "A");

    /**
     * Zones signed at test time (BIND's and ldns's signers; NSEC, NSEC3, NSEC3 opt-out), loaded into the running
     * catalog: every DNSSEC case of DnssecCases validated by delv over UDP through the data plane and over TCP through
     * the exception path, and chased by drill -S over UDP.
     */
    @Test
    void signedZonesValidateOverTheDataPlaneAndTheExceptionPath(@TempDir Path tmp) throws Exception {
        Prerequisites.requireProgram("delv", "bind9-dnsutils");
        Prerequisites.requireProgram("drill", "ldnsutils");
        Map<String, SignedZones.Zone> zones = SignedZones.signAll(tmp);
        try {
            for (SignedZones.Zone z : zones.values()) {
                catalog.load(z.origin(), z.file());
            }
            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (SignedZones.Zone z : zones.values()) {
                for (DnssecCases.Case c : DnssecCases.CASES) {
                    for (List<String> options : List.of(List.<String>of(), List.of("+tcp"))) {
                        String verdict = DnssecCases.delv(z, V4, 53, c, options);
                        checked++;
                        if (!DnssecCases.delvAccepts(z, c, verdict)) {
                            failures.add("delv " + options + " " + c.in(z) + " " + c.type() + " (" + c.why()
                                + "): " + verdict);
                        }
                    }
                    // -a: retry over TCP when truncated, as a resolver does.
                    String chase = DnssecCases.drill(z, V4, 53, c, List.of("-a"));
                    checked++;
                    if (!chase.equals(";; Chase successful") && !DnssecCases.drillLimitation(z, c)) {
                        failures.add("drill " + c.in(z) + " " + c.type() + " (" + c.why() + "): " + chase);
                    }
                }
            }
            assertEquals(zones.size() * DnssecCases.CASES.size() * 3, checked);
            assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " not validated:\n"
                    + String.join("\n", failures));
        } finally {
            for (String origin : zones.keySet()) {
                catalog.remove(origin);
            }
        }
    }

    @Test
    void everyRecordTypeIsAnsweredAsTheKernelTransportAnswersIt() throws Exception {
        for (List<String> options : List.of(List.of("+notcp", "+noedns"), List.of("+notcp", "+bufsize=1232"),
                List.of("+notcp", "+dnssec", "+bufsize=4096"))) {
            List<Map<String, Object>> dataplaneAnswers = KdigClient.ask(null, V4, options, QUERIES);
            List<Map<String, Object>> kernelAnswers = KdigClient.ask(null, "127.0.0.1", referencePort, options,
                    QUERIES);
            assertEquals(QUERIES.size() / 2, dataplaneAnswers.size(), "one answer per query");
            for (int q = 0; q < dataplaneAnswers.size(); q++) {
                assertEquals(KdigClient.comparable(kernelAnswers.get(q)), KdigClient.comparable(dataplaneAnswers.get(q)),
                        options + " " + QUERIES.get(2 * q) + " " + QUERIES.get(2 * q + 1));
            }
        }
        List<Map<String, Object>> a = KdigClient.ask(null, V4, List.of("+notcp"), QUERIES);
        assertEquals("198.18.0.80", section(a.get(6), "answerRRs").getFirst().get("rdataA"));
        assertEquals(1L, a.get(6).get("AA"));
        assertEquals(3L, a.get(17).get("RCODE"), "nope.example.test is NXDOMAIN");
        assertEquals(5L, a.get(20).get("RCODE"), "a name in no served zone is REFUSED");
        assertEquals("198.18.0.90", section(a.get(13), "answerRRs").getFirst().get("rdataA"), "wildcard");
        assertEquals(0, section(a.get(15), "answerRRs").size(), "referral: no answer");
        assertEquals(0L, a.get(15).get("AA"), "referral is not authoritative");
        DnsCounterSnapshot counters = dns.counters();
        assertTrue(counters.rcode("NXDOMAIN") >= 4 && counters.qtype("SRV") >= 4, counters.toString());
        assertTrue(TestDataplanes.await(() -> logLines.stream().anyMatch(l -> l.startsWith("query ")
                && l.contains(" 198.18.4.1#") && l.contains(" www.example.test. A NOERROR ")), 5_000),
                "query log line: " + logLines.stream().limit(5).toList());
    }

    /**
     * net_tap offers IPv4 and UDP TX checksums (its PMD computes them as it writes to the TAP device), so the uplink,
     * which owns the appliance's addresses, is configured with them and every answer of this class leaves its
     * checksums to the port: the kernel on the other side would drop a UDP datagram whose checksum is wrong. The
     * exception port owns no address and keeps the plain TX path.
     */
    @Test
    void theAddressedTapPortTakesTheChecksumsAndTheExceptionPortDoesNot() throws Exception {
        assertTrue(dataplane.ports().entry(0).hasTxOffloads(dev.isthmus.dataplane.port.PortSetup
                .ADDRESSED_PORT_TX_OFFLOADS), "uplink offloads: " + dataplane.ports().entry(0).txOffloads());
        assertEquals(0, dataplane.ports().entry(1).txOffloads(), "exception port offloads");
        long before = dns.counters().total(DnsCounters.Counter.ANSWERED_IPV4);
        Map<String, Object> m = KdigClient.ask(null, V4, List.of("+notcp"), List.of("www.example.test", "A"))
                .getFirst();
        assertEquals(0L, m.get("RCODE"), "answered through the offloaded path: " + m);
        assertTrue(dns.counters().total(DnsCounters.Counter.ANSWERED_IPV4) > before, "by the data plane");
    }

    /**
     * net_tap also verifies checksums on receive (its PMD sums each frame it reads from the TAP device and writes its
     * verdicts into ol_flags; {@code RxChecksumOffloadTest} pins which), so the uplink is configured with IPv4 and UDP
     * RX checksum offload too and the exception port is not: every query of this class reaches the DNS stage with a
     * verdict. Here the host sends queries whose checksums net_tap finds BAD — a wrong UDP checksum over IPv4 and
     * IPv6, a wrong IPv4 header checksum — and they are dropped and counted as before; a zero UDP checksum is
     * answered over IPv4 (none sent, RFC 768; net_tap says NONE) and dropped over IPv6 (RFC 8200 §8.1).
     */
    @Test
    void theAddressedTapPortVerifiesChecksumsOnReceiveAndWrongOnesAreStillDropped() throws Exception {
        long rx = PortSetup.ADDRESSED_PORT_RX_OFFLOADS;
        assertTrue(dataplane.ports().entry(0).hasRxOffloads(rx), "uplink: " + dataplane.ports().entry(0).rxOffloads());
        assertEquals(rx, dataplane.port(0).rxOffloads() & rx, "the uplink's driver has them on");
        assertEquals(0, dataplane.ports().entry(1).rxOffloads(), "exception port RX offloads");
        assertEquals(0, dataplane.port(1).rxOffloads() & rx, "the exception port's driver has them off");

        CounterSnapshot before = dataplane.counters();
        long answeredBefore = dns.counters().total(DnsCounters.Counter.ANSWERED_IPV4);
        String eth = "Ether(src=get_if_hwaddr('" + TAP + "'), dst='" + MAC + "')";
        String ip4 = eth + "/IP(src='198.18.4.1', dst='" + V4 + "')";
        String ip6 = eth + "/IPv6(src='2001:db8:4::1', dst='" + V6 + "')";
        String query = "DNS(rd=0, qd=DNSQR(qname='www.example.test', qtype='A'))";
        List<String> frames = List.of(
                ip4 + "/UDP(sport=4001, dport=53, chksum=0x1234)/" + query,                  // UDP sum wrong: BAD
                ip6 + "/UDP(sport=4002, dport=53, chksum=0x1234)/" + query,                  // UDP sum wrong: BAD
                eth + "/IP(src='198.18.4.1', dst='" + V4 + "', chksum=0x4321)/UDP(sport=4003, dport=53)/" + query,
                ip6 + "/UDP(sport=4004, dport=53, chksum=0)/" + query,                       // zero over IPv6
                ip4 + "/UDP(sport=4005, dport=53, chksum=0)/" + query);                      // zero over IPv4
        StringBuilder script = new StringBuilder("from scapy.all import *\nconf.verb = 0\nframes = [");
        frames.forEach(f -> script.append(f).append(", "));
        script.append("]\nfor i in range(5):\n    sendp(frames, iface='").append(TAP).append("')\nprint('sent')\n");
        assertEquals(List.of("sent"), Scapy.run(script.toString()));
        assertTrue(TestDataplanes.await(() -> dns.counters().total(DnsCounters.Counter.ANSWERED_IPV4) - answeredBefore
                >= 5, 5_000), "the zero-checksum IPv4 queries answered: " + dns.counters());
        CounterSnapshot after = dataplane.counters();
        assertEquals(15, after.drops(DataplaneDrop.UDP_BAD_CHECKSUM) - before.drops(DataplaneDrop.UDP_BAD_CHECKSUM),
                "wrong UDP checksums over IPv4 and IPv6, zero ones over IPv6: " + after.drops());
        assertEquals(5, after.drops(DataplaneDrop.IPV4_BAD_CHECKSUM) - before.drops(DataplaneDrop.IPV4_BAD_CHECKSUM),
                "wrong IPv4 header checksums");
    }

    @Test
    void ednsAdvertisesOurSizeAndCopiesDo() throws Exception {
        Map<String, Object> m = KdigClient.ask(null, V4, List.of("+notcp", "+dnssec", "+bufsize=4096"),
                List.of("nope.example.test", "A")).getFirst();
        assertEquals(3L, m.get("RCODE"));
        Map<String, Object> opt = section(m, "additionalRRs").stream()
                .filter(r -> Long.valueOf(41).equals(r.get("TYPE"))).findFirst().orElseThrow();
        assertEquals(1232L, opt.get("CLASS"), "our advertised UDP payload size");
    }

    @Test
    void truncatedOverUdpThenCompleteOverTcpThroughTheExceptionPath() throws Exception {
        long tcpBefore = kernelDns.counters().tcpAnswered();
        long truncatedBefore = dns.counters().total(DnsCounters.Counter.TRUNCATED);
        Map<String, Object> udp = KdigClient.ask(null, V4, List.of("+notcp", "+noedns", "+ignore"),
                List.of("big.example.test", "TXT")).getFirst();
        assertEquals(1L, udp.get("TC"));
        assertTrue((Long) udp.get("msgLength") <= 512);
        Map<String, Object> tcp = KdigClient.ask(null, V4, List.of("+tcp"), List.of("big.example.test", "TXT"))
                .getFirst();
        assertEquals(0L, tcp.get("TC"));
        assertEquals(1, section(tcp, "answerRRs").size());
        // dig retries over TCP by itself when it sees TC (RFC 7766 §5).
        Shell.Result dig = Shell.run(30, "dig", "@" + V4, "+noedns", "+tries=2", "+time=2", "big.example.test", "TXT");
        assertTrue(dig.ok() && dig.output().contains("x".repeat(250)) && dig.output().contains("(TCP)"),
                dig.output());
        assertTrue(kernelDns.counters().tcpAnswered() - tcpBefore >= 2, "TCP answered by the kernel side");
        assertTrue(dns.counters().total(DnsCounters.Counter.TRUNCATED) - truncatedBefore >= 2);
        assertTrue(dataplane.counters().total(LcoreCounters.Lcore.PUNTED) > 0);
    }

    @Test
    void ipv6TransportOverUdpAndTcp() throws Exception {
        Map<String, Object> udp = KdigClient.ask(null, V6, List.of("+notcp"), List.of("www.example.test", "AAAA"))
                .getFirst();
        assertEquals("2001:db8::80", section(udp, "answerRRs").getFirst().get("rdataAAAA"));
        Map<String, Object> tcp = KdigClient.ask(null, V6, List.of("+tcp"), List.of("mail.example.test", "MX"))
                .getFirst();
        assertEquals(0L, tcp.get("RCODE"));
        assertTrue(dns.counters().total(DnsCounters.Counter.ANSWERED_IPV6) >= 1);
    }

    @Test
    void malformedQueriesAreCountedDroppedOrFormerrAndAnsweringGoesOn() throws Exception {
        CounterSnapshot before = dataplane.counters();
        DnsCounterSnapshot dnsBefore = dns.counters();
        String eth = "Ether(src=get_if_hwaddr('" + TAP + "'), dst='" + MAC + "')";
        String ip = eth + "/IP(src='198.18.4.1', dst='" + V4 + "')";
        String query = "DNS(rd=0, qd=DNSQR(qname='www.example.test', qtype='A'))";
        List<String> frames = List.of(
                ip + "/UDP(sport=4000, dport=53, chksum=0x1234)/" + query,               // UDP checksum wrong
                ip + "/UDP(sport=4000, dport=53, len=200)/" + query,                     // UDP length beyond IP
                ip + "/UDP(sport=4000, dport=53)/Raw(b'\\x12\\x34\\x00')",               // shorter than a header
                ip + "/UDP(sport=4000, dport=53)/DNS(qr=1, qd=DNSQR(qname='www.example.test'))", // a response
                eth + "/IP(src='224.0.0.9', dst='" + V4 + "')/UDP(sport=4000, dport=53)/" + query, // bogus source
                ip + "/UDP(sport=4000, dport=53)/DNS(qdcount=2, qd=DNSQR(qname='www.example.test'))", // FORMERR
                ip + "/UDP(sport=4000, dport=53)/Raw(b'\\x00\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
                        + "\\x3f\\x61')");                                                // name past the end: FORMERR
        StringBuilder script = new StringBuilder("from scapy.all import *\nconf.verb = 0\nframes = [");
        frames.forEach(f -> script.append(f).append(", "));
        script.append("]\nfor i in range(10):\n    sendp(frames, iface='").append(TAP).append("')\nprint('sent')\n");
        assertEquals(List.of("sent"), Scapy.run(script.toString()));
        Map<String, Object> still = KdigClient.ask(null, V4, List.of("+notcp"), List.of("www.example.test", "A"))
                .getFirst();
        assertEquals("198.18.0.80", section(still, "answerRRs").getFirst().get("rdataA"));
        assertTrue(TestDataplanes.await(() -> dns.counters().rcode("FORMERR") - dnsBefore.rcode("FORMERR") >= 20,
                5_000), "FORMERR answers: " + dns.counters());
        CounterSnapshot after = dataplane.counters();
        assertEquals(10, after.drops(DataplaneDrop.UDP_BAD_CHECKSUM) - before.drops(DataplaneDrop.UDP_BAD_CHECKSUM));
        assertEquals(10, after.drops(DataplaneDrop.UDP_BAD_LENGTH) - before.drops(DataplaneDrop.UDP_BAD_LENGTH));
        for (DnsDrop reason : List.of(DnsDrop.TOO_SHORT, DnsDrop.RESPONSE, DnsDrop.BOGUS_SOURCE)) {
            assertEquals(10, after.drops(reason) - before.drops(reason), reason + ": " + after.drops());
        }
    }

    @Test
    void zoneReplacedWhileDnsperfRunsLosesAndBreaksNothing() throws Exception {
        java.nio.file.Path queries = java.nio.file.Files.createTempFile("isthmus-dnsperf", ".txt");
        try {
            java.nio.file.Files.writeString(queries, "www.example.test A\nmail.example.test MX\nexample.test SOA\n"
                    + "ftp.example.test A\nhost.apps.example.test TXT\n");
            long before = dns.counters().total(DnsCounters.Counter.ANSWERED);
            ProcessBuilder pb = new ProcessBuilder("dnsperf", "-s", V4, "-d", queries.toString(), "-l", "4", "-Q",
                    "2000", "-t", "2").redirectErrorStream(true);
            Process dnsperf = pb.start();
            String base = new String(DnsOverTapTest.class.getResourceAsStream("/zones/example.test.zone")
                    .readAllBytes(), StandardCharsets.UTF_8);
            // Swap the zone back and forth while the queries flow: every answer comes from one whole generation.
            for (int k = 0; k < 10; k++) {
                Thread.sleep(250);
                catalog.replace("example.test", base.replace("2026112101", Integer.toString(2026112102 + k)));
            }
            String out = new String(dnsperf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dnsperf.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), out);
            assertEquals(0, dnsperf.exitValue(), out);
            java.util.regex.Matcher sent = java.util.regex.Pattern.compile("Queries sent:\\s+(\\d+)").matcher(out);
            assertTrue(sent.find(), out);
            assertTrue(Long.parseLong(sent.group(1)) > 1000, out);
            assertTrue(out.matches("(?s).*Queries lost:\\s+0 .*"), "no query lost: " + out);
            assertTrue(out.matches("(?s).*Response codes:\\s+NOERROR \\d+ \\(100\\.00%\\).*"), "all NOERROR: " + out);
            assertTrue(dns.counters().total(DnsCounters.Counter.ANSWERED) - before >= Long.parseLong(sent.group(1)));
        } finally {
            java.nio.file.Files.deleteIfExists(queries);
            catalog.replace("example.test", new String(DnsOverTapTest.class.getResourceAsStream(
                    "/zones/example.test.zone").readAllBytes(), StandardCharsets.UTF_8) + "big TXT \"" + "x".repeat(250)
                    + "\" \"" + "y".repeat(250) + "\" \"" + "z".repeat(250) + "\"\n");
        }
    }

    @Test
    void hostStageStillAnswersPingsBesideDns() {
        Shell.Result ping = Shell.run(20, "ping", "-c", "2", "-i", "0.2", "-W", "2", V4);
        assertTrue(ping.ok() && ping.output().contains("2 received"), ping.output());
        List<String> seen = new ArrayList<>(dataplane.counters().drops().keySet());
        assertFalse(seen.contains("DataplaneDrop.STAGE_FAILED"), seen.toString());
    }
}
