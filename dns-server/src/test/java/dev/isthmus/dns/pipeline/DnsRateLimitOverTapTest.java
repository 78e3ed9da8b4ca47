package dev.isthmus.dns.pipeline;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static dev.isthmus.dns.pipeline.KdigClient.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlSettings;
import dev.isthmus.nativebindings.Eal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Response-rate limiting end to end: spoofed floods from one /24 sent with scapy into a net_tap port, the host's
 * kdig and dig as the well-behaved client, TCP through the exception path.
 */
class DnsRateLimitOverTapTest {

    private static final String TAP = "isthmusD3";
    private static final String MAC = "02:00:00:00:06:53";
    private static final String V4 = "198.18.6.53";
    private static final String NETNS = "isthmus-dnsx3";
    /** The spoofed sources: one /24, not the host's. */
    private static final String FLOOD_NET = "198.18.7";

    private static final RrlControl rrl = new RrlControl();
    private static KernelSide kernelSide;
    private static Dataplane dataplane;
    private static DnsDataPath dns;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.requireRoot("the TAP device and the namespace");
        Prerequisites.requireProgram("dig", "dnsutils");
        Prerequisites.requireScapy();
        kernelSide = KernelSide.create(NETNS, "isthmus-dr0", "isthmus-dr1");
        Eal.shared();
        PortConfig uplink = PortConfig.of("uplink", "net_tap" + TestDataplanes.uniqueName(""),
                "iface=" + TAP + ",mac=" + MAC).withAddresses(null, List.of(Ipv4Address.parse(V4)), List.of());
        PortConfig exception = PortConfig.of("exception", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + kernelSide.dataplaneInterface() + ",qpairs=1");
        dns = new DnsDataPath(DnsOverTapTest.sampleCatalog(), DnsSettings.defaults(), QueryLogSink.discard(), rrl);
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("dnsrrl"),
                List.of(uplink, exception)).withPuntPort("exception"), dns.pipelines("exception", "uplink"));
        Shell.must("ip", "link", "set", TAP, "up");
        Shell.must("ip", "addr", "add", "198.18.6.1/24", "dev", TAP);
        kernelSide.configure(MAC, List.of(V4 + "/24"));
        kernelSide.serve(dns.catalog(), 1, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        try {
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
            if (dns != null) {
                dns.close();
            }
        } finally {
            if (kernelSide != null) {
                kernelSide.close();
            }
        }
        assertFalse(Shell.run(5, "ip", "link", "show", TAP).ok(), "the TAP interface is gone with its port");
    }

    @AfterEach
    void off() {
        rrl.set(RrlSettings.OFF);
    }

    private static long total(DnsCounters.Counter c) {
        return dns.counters().total(c);
    }

    /**
     * 400 identical queries from 400 spoofed sources in one /24: at 10 per second with slip 2, the prefix gets its
     * 10 answers (20 if the flood straddles a second), and of the rest every second one truncated (TC, no records);
     * meanwhile a client in another /24 gets every answer.
     */
    @Test
    void aSpoofedFloodFromOnePrefixIsCappedWithEverySecondSlippedAndOthersKeepFullService() throws Exception {
        rrl.set(new RrlSettings(10, 2, 15, 24, 56, List.of()));
        long answeredBefore = total(DnsCounters.Counter.ANSWERED);
        long limitedBefore = total(DnsCounters.Counter.RATE_LIMITED);
        long slippedBefore = total(DnsCounters.Counter.SLIPPED);
        int flood = 400;
        String script = """
                from scapy.all import *
                import time
                conf.verb = 0
                tap = '%s'
                sniffer = AsyncSniffer(iface=tap, filter='udp and src port 53 and dst net %s.0/24')
                sniffer.start()
                time.sleep(0.5)
                frames = [Ether(dst='%s')/IP(src='%s.%%d' %% (1 + i %% 250), dst='%s')/UDP(sport=10000 + i, dport=53)
                          /DNS(id=i, rd=1, qd=DNSQR(qname='www.example.test', qtype='A')) for i in range(%d)]
                sendp(frames, iface=tap)
                time.sleep(1.0)
                got = sniffer.stop()
                full = [p for p in got if DNS in p and p[DNS].tc == 0]
                tc = [p for p in got if DNS in p and p[DNS].tc == 1]
                print('full %%d' %% len(full))
                print('tc %%d' %% len(tc))
                print('tc-with-records %%d' %% len([p for p in tc if p[DNS].ancount + p[DNS].nscount + p[DNS].arcount > 0]))
                print('full-with-answer %%d' %% len([p for p in full if p[DNS].ancount == 1]))
                """.formatted(TAP, FLOOD_NET, MAC, FLOOD_NET, V4, flood);
        Thread floodThread = Thread.ofPlatform().start(() -> floodResult = Scapy.run(script));
        // The well-behaved client, in 198.18.6.0/24, during the flood: every answer, never truncated.
        List<String> queries = List.of("www.example.test", "A", "mail.example.test", "A", "ftp.example.test", "A",
                "mail.example.test", "TXT", "www.example.test", "AAAA");
        for (int round = 0; round < 3; round++) {
            for (Map<String, Object> m : KdigClient.ask(null, V4, List.of("+notcp"), queries)) {
                assertEquals(0L, m.get("TC"), "not limited: " + m);
                assertEquals(0L, m.get("RCODE"));
                assertFalse(section(m, "answerRRs").isEmpty(), "answered: " + m);
            }
        }
        floodThread.join(60_000);
        List<String> out = floodResult;
        assertTrue(out != null && out.size() == 4, "scapy: " + out);
        int full = Integer.parseInt(out.get(0).split(" ")[1]);
        int tc = Integer.parseInt(out.get(1).split(" ")[1]);
        assertEquals("tc-with-records 0", out.get(2), "a slipped response carries no records");
        assertEquals("full-with-answer " + full, out.get(3));
        long limited = total(DnsCounters.Counter.RATE_LIMITED) - limitedBefore;
        long slipped = total(DnsCounters.Counter.SLIPPED) - slippedBefore;
        assertTrue(full >= 10 && full <= 20, "the prefix's answers capped at its rate: " + full);
        String seen = "full " + full + ", tc " + tc + ", limited " + limited + ", slipped " + slipped;
        assertEquals(flood, full + limited + slipped, "every query answered, dropped or slipped: " + seen);
        assertEquals((flood - full) / 2, slipped, "every second one over the limit slipped");
        assertEquals(slipped, tc, "each slip seen on the wire as TC");
        assertTrue(total(DnsCounters.Counter.ANSWERED) - answeredBefore >= full + slipped + 15,
                "the flood's answers and slips, and the 15 of the other client");
        Map<String, Long> perLcore = dns.counters().rateLimitedPerLcore().values().iterator().next();
        assertTrue(perLcore.get("rate_limited") >= limited && perLcore.get("slipped") >= slipped, perLcore.toString());
    }

    private static volatile List<String> floodResult;

    /** A client limited to one answer a second, every excess response slipped: dig follows the TC to TCP. */
    @Test
    void aSlippedAnswerIsRetriedOverTcpThroughTheExceptionPath() {
        rrl.set(new RrlSettings(1, 1, 1, 24, 56, List.of()));
        long slippedBefore = total(DnsCounters.Counter.SLIPPED);
        long tcpBefore = kernelSide.server().counters().tcpAnswered();
        boolean sawTcp = false;
        for (int i = 0; i < 5 && !sawTcp; i++) {
            Shell.Result dig = Shell.run(30, "dig", "@" + V4, "+noedns", "+tries=2", "+time=2", "www.example.test",
                    "A");
            assertTrue(dig.ok() && dig.output().contains("198.18.0.80"), dig.output());
            sawTcp = dig.output().contains("(TCP)");
        }
        assertTrue(sawTcp, "one of the queries was slipped and retried over TCP");
        assertTrue(total(DnsCounters.Counter.SLIPPED) > slippedBefore);
        assertTrue(kernelSide.server().counters().tcpAnswered() > tcpBefore, "TCP is not rate limited");
    }

    /** An exempt prefix is never limited, even at one response per second. */
    @Test
    void anExemptPrefixIsNeverLimited() throws Exception {
        rrl.set(new RrlSettings(1, 2, 15, 24, 56, List.of("198.18.6.0/30")));
        long limitedBefore = total(DnsCounters.Counter.RATE_LIMITED) + total(DnsCounters.Counter.SLIPPED);
        List<String> queries = List.of("www.example.test", "A", "www.example.test", "A", "www.example.test", "A",
                "www.example.test", "A", "www.example.test", "A");
        for (Map<String, Object> m : KdigClient.ask(null, V4, List.of("+notcp"), queries)) {
            assertEquals(0L, m.get("TC"), m.toString());
            assertEquals(1, section(m, "answerRRs").size());
        }
        assertEquals(limitedBefore, total(DnsCounters.Counter.RATE_LIMITED) + total(DnsCounters.Counter.SLIPPED));
    }
}
