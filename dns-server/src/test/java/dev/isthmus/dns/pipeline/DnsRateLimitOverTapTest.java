package dev.isthmus.dns.pipeline;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static dev.isthmus.dns.pipeline.KdigClient.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.exception.KernelSide;
import dev.isthmus.dataplane.exception.StageOrder;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.edns.CookieSecrets;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlSettings;
import dev.isthmus.nativebindings.Eal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Response-rate limiting and DNS Cookies end to end: spoofed floods from one /24 sent with scapy into a net_tap port,
 * the host's kdig and dig as the well-behaved client, TCP through the exception path. (dig sends a COOKIE option
 * with EDNS; kdig and scapy's queries do not.)
 */
class DnsRateLimitOverTapTest {

    private static final String TAP = "isthmusD3";
    private static final String MAC = "02:00:00:00:06:53";
    private static final String V4 = "198.18.6.53";
    private static final String NETNS = "isthmus-dnsx3";
    /** The spoofed sources: one /24, not the host's. */
    private static final String FLOOD_NET = "198.18.7";

    private static final RrlControl rrl = new RrlControl();
    private static final String SECRET = "e5e973e5a6b2a43f48e7dc849e37bfcf";
    /** dig's report of a COOKIE option: client and server cookie in hex, and whether the client cookie is its own. */
    private static final Pattern DIG_COOKIE = Pattern.compile("; COOKIE: ([0-9a-f]{48}) \\(good\\)");
    private static KernelSide kernelSide;
    private static KernelDnsServer kernelDns;
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
        dns = new DnsDataPath(DnsOverTapTest.sampleCatalog(), DnsSettings.defaults(), QueryLogSink.discard(), rrl,
                new CookieControl(CookieSecrets.of(SECRET, "")))
                .identity(new ServerIdentity("isthmus-test-1", "box-1.example", "Isthmus test"));
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("dnsrrl"),
                List.of(uplink, exception)).withPuntPort("exception"),
                StageOrder.pipelines("exception", "uplink", true, lcore -> List.of(dns.dnsStage(lcore))));
        Shell.must("ip", "link", "set", TAP, "up");
        Shell.must("ip", "addr", "add", "198.18.6.1/24", "dev", TAP);
        kernelSide.configure(MAC, List.of(V4 + "/24"));
        kernelDns = KernelDnsServer.inNamespace(kernelSide.namespace(), kernelSide.addresses(), dns.catalog(), 1,
                Duration.ofSeconds(2), true, null);
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
            if (kernelDns != null) {
                kernelDns.close();
            }
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
        int fullSeen = Integer.parseInt(out.get(0).split(" ")[1]);
        int tcSeen = Integer.parseInt(out.get(1).split(" ")[1]);
        assertEquals("tc-with-records 0", out.get(2), "a slipped response carries no records");
        assertEquals("full-with-answer " + fullSeen, out.get(3));
        long limited = total(DnsCounters.Counter.RATE_LIMITED) - limitedBefore;
        long slipped = total(DnsCounters.Counter.SLIPPED) - slippedBefore;
        long full = flood - limited - slipped;
        String seen = "sent full " + full + " (sniffed " + fullSeen + "), slipped " + slipped + " (sniffed TC "
                + tcSeen + "), limited " + limited;
        assertTrue(full >= 10 && full <= 20, "the prefix's answers capped at its rate: " + seen);
        assertEquals((flood - full) / 2, slipped, "every second one over the limit slipped: " + seen);
        // The sniffer is a witness, not the count: it shows the answers and the TCs did leave, as sent.
        assertTrue(fullSeen >= full - 2 && fullSeen <= 21 && tcSeen >= slipped - 5, seen);
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
        long tcpBefore = kernelDns.counters().tcpAnswered();
        boolean sawTcp = false;
        for (int i = 0; i < 5 && !sawTcp; i++) {
            Shell.Result dig = Shell.run(30, "dig", "@" + V4, "+noedns", "+tries=2", "+time=2", "www.example.test",
                    "A");
            assertTrue(dig.ok() && dig.output().contains("198.18.0.80"), dig.output());
            sawTcp = dig.output().contains("(TCP)");
        }
        assertTrue(sawTcp, "one of the queries was slipped and retried over TCP");
        assertTrue(total(DnsCounters.Counter.SLIPPED) > slippedBefore);
        assertTrue(kernelDns.counters().tcpAnswered() > tcpBefore, "TCP is not rate limited");
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

    private static String dig(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("dig", "@" + V4, "+tries=1", "+time=2"));
        cmd.addAll(List.of(args));
        Shell.Result r = Shell.run(30, cmd.toArray(String[]::new));
        assertTrue(r.ok(), r.output());
        return r.output();
    }

    private static String cookieOf(String digOutput) {
        Matcher m = DIG_COOKIE.matcher(digOutput);
        assertTrue(m.find(), "a server cookie dig calls good: " + digOutput);
        return m.group(1);
    }

    /** dig learns a server cookie, sends it back, and the server finds it valid (RFC 7873 §5.2.4). */
    @Test
    void digLearnsAServerCookieAndTheSecondQueryCarriesAValidOne() {
        String first = dig("+cookie", "www.example.test", "A");
        assertTrue(first.contains("198.18.0.80"), first);
        String cookie = cookieOf(first);
        assertTrue(cookie.substring(16).startsWith("01000000"), "version 1, reserved 0 (RFC 9018): " + cookie);
        long validBefore = total(DnsCounters.Counter.COOKIE_VALID);
        String second = dig("+cookie=" + cookie, "www.example.test", "A");
        assertTrue(second.contains("198.18.0.80"), second);
        assertEquals(cookie.substring(0, 16), cookieOf(second).substring(0, 16), "the client cookie echoed");
        assertEquals(validBefore + 1, total(DnsCounters.Counter.COOKIE_VALID), "the returned cookie was valid");
        // The same cookie sent twice is answered from the packet cache, with a cookie made for this query.
        assertTrue(cookieOf(dig("+cookie=" + cookie, "www.example.test", "A")).startsWith(cookie.substring(0, 16)));
        // RFC 7873 §5.2.2: a COOKIE option of 5 octets is malformed.
        assertTrue(dig("+cookie=0102030405", "www.example.test", "A").contains("status: FORMERR"));
    }

    /**
     * At one response a second with every limited one slipped: a client with only a client cookie gets BADCOOKIE
     * and a fresh server cookie instead of TC; with that cookie it is exempt from the limit.
     */
    @Test
    void aValidServerCookieExemptsFromRateLimitingAndBadcookieAsksForOne() {
        rrl.set(new RrlSettings(1, 1, 1, 24, 56, List.of()));
        // The limiter credits whole seconds, so a second query can land in a fresh second and be answered: ask until
        // the prefix's one response per second is spent. Eight quick queries span at most a few seconds' credit.
        String limited = "";
        for (int i = 0; i < 8 && !limited.contains("status: BADCOOKIE"); i++) {
            limited = dig("+cookie", "+nobadcookie", "mail.example.test", "A");
        }
        assertTrue(limited.contains("status: BADCOOKIE"), limited);
        String cookie = cookieOf(limited);
        for (int i = 0; i < 5; i++) {
            String out = dig("+cookie=" + cookie, "mail.example.test", "A");
            assertTrue(out.contains("status: NOERROR") && out.contains("198.18.0.25") && !out.contains("(TCP)"), out);
        }
    }

    /** NSID (RFC 5001) when asked for, and the CH TXT identity names of RFC 4892. */
    @Test
    void nsidAndChaosTxtTellWhichBoxAnswered() {
        String nsid = dig("+nsid", "www.example.test", "A");
        assertTrue(nsid.contains("(\"isthmus-test-1\")") && nsid.contains("198.18.0.80"), nsid);
        assertFalse(dig("www.example.test", "A").contains("NSID"), "only when asked");
        for (String name : List.of("id.server", "HOSTNAME.bind")) {
            String out = dig("+short", "CH", "TXT", name);
            assertEquals("\"box-1.example\"", out.strip(), name);
        }
        assertEquals("\"Isthmus test\"", dig("+short", "CH", "TXT", "version.bind").strip());
        assertTrue(dig("CH", "TXT", "authors.bind").contains("status: REFUSED"), "other CH names as before");
    }
}
