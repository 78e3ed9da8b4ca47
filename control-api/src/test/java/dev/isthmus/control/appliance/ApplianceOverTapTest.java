package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.status.HealthReport;
import dev.isthmus.control.status.Stats;
import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.nativebindings.testing.Prerequisites;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole appliance with its data plane on a net_tap port, as {@code ./isthmus run} starts it: the kernel side gets
 * its address and comes up, the host pings the appliance and asks it DNS over UDP (data plane) and TCP (exception
 * path), a zone put over REST is answered at once and swapped under load without a query lost, {@code /health} turns
 * 200 and {@code /stats} counts the traffic; closing the context (what Ctrl-C does) removes the TAP interface and the
 * exception namespace. Needs root (CI runs as root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplianceOverTapTest {

    private static final String IFACE = "isthmusctl0";
    private static final String APPLIANCE = "198.18.50.53";

    private TestConfig config;
    private ApplicationContext context;
    private HttpClient http;

    @BeforeAll
    void start() {
        Prerequisites.requireRoot("TAP devices and namespaces");
        Prerequisites.requireProgram("dig", "dnsutils");
        Prerequisites.requireProgram("dnsperf", "dnsperf");
        config = TestConfig.write("""
                eal:
                  file-prefix: isthmust
                lcores:
                  workers: [-1]
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s,mac=02:00:00:00:05:53
                    addresses: [198.18.50.53/24, "2001:db8:50::53/64"]
                    kernel-addresses: [198.18.50.1/24, "2001:db8:50::1/64"]
                dns:
                  query-log-every: 1
                  dnstap-file: appliance.dnstap
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """.formatted(IFACE));
        context = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(config.propertiesWithDataplane()))
                .getApplicationContext();
        http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL());
    }

    @AfterAll
    void stopAndCheckEverythingIsGone() throws Exception {
        if (config == null) {
            return;
        }
        try {
            if (http != null) {
                http.close();
            }
            if (context != null) {
                context.close();
            }
            assertFalse(exitCode("ip", "link", "show", "dev", IFACE) == 0, "the TAP interface is removed at stop");
            assertFalse(run("ip", "netns", "list").contains("isthmust-exc"), "the exception namespace is removed at stop");
            try (Journal journal = new Journal(config.directory().resolve("journal"))) {
                assertEquals("stop", journal.latest(1, e -> true).getFirst().action());
            }
            checkDnstap(config.directory().resolve("appliance.dnstap"));
        } finally {
            config.close();
        }
    }

    @Test
    void servesPingDnsHealthStatsAndMetrics() throws Exception {
        assertTrue(run("ip", "-o", "address", "show", "dev", IFACE).contains("198.18.50.1/24"));
        assertEquals(new HealthReport("UP", List.of()), ApplianceHttp.awaitHealthy(http));

        assertEquals(0, exitCode("ping", "-c", "2", "-W", "2", "-I", IFACE, APPLIANCE),
                "the host stage answers ping for the appliance address");
        assertEquals("198.18.0.80", dig("www.isthmus.test").strip(), "UDP answered by the data plane");
        assertEquals("198.18.0.80", dig("+tcp", "www.isthmus.test").strip(), "TCP through the exception path");
        assertEquals("2001:db8:18::80", dig("-6", "@2001:db8:50::53", "www.isthmus.test", "AAAA").strip(), "over IPv6");

        ApplianceHttp.putZone(http, "fresh.test", zone("fresh.test", 7));
        assertEquals("198.18.50.99", dig("www.fresh.test").strip(), "a zone put over REST is served at once");
        // The same question twice, byte for byte (no cookie, dig's only per-run bytes after the ID): the second
        // answer comes from the lcore's packet cache.
        assertEquals("198.18.50.99", dig("+nocookie", "www.fresh.test").strip());
        assertEquals("198.18.50.99", dig("+nocookie", "www.fresh.test").strip());

        Stats stats = http.toBlocking().retrieve(HttpRequest.GET("/stats"), Stats.class);
        assertTrue(stats.running());
        Stats.PortStatsView port = stats.ports().getFirst();
        assertEquals("tap0", port.name());
        assertTrue(port.linkUp());
        assertTrue(port.rxPackets() >= 5, () -> "received " + port.rxPackets());
        assertTrue(port.txPackets() >= 5, () -> "sent " + port.txPackets());
        assertEquals(1, stats.lcores().size());
        assertTrue(stats.dns().zones() >= 2);
        assertTrue(stats.dns().totals().getOrDefault("answered", 0L) >= 3, () -> stats.dns().totals().toString());
        assertTrue(stats.dns().rcodes().getOrDefault("NOERROR", 0L) >= 3, () -> stats.dns().rcodes().toString());
        assertTrue(stats.dns().totals().getOrDefault("answered_from_cache", 0L) >= 1,
                () -> stats.dns().totals().toString());

        String scrape = http.toBlocking().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(scrape.contains("isthmus_up 1.0"), scrape);
        assertTrue(scrape.contains("isthmus_port_rx_packets_total{port=\"tap0\"}"), scrape);
        assertTrue(scrape.contains("isthmus_dns_responses_total{rcode=\"NOERROR\"}"), scrape);
        assertTrue(scrape.contains("isthmus_dns_answered_from_cache_total"), scrape);

        List<JournalEntry> starts = context.getBean(Journal.class).latest(1, e -> e.action().equals("start"));
        assertEquals("appliance", starts.getFirst().subject());
    }

    /** Issue 6: a zone replaced over REST while dnsperf runs, bounded in time and rate: no query lost or failed. */
    @Test
    void zoneSwappedUnderLoadLosesNoQuery() throws Exception {
        ApplianceHttp.awaitHealthy(http);
        ApplianceHttp.putZone(http, "load.test", zone("load.test", 1));
        Path queries = config.directory().resolve("queries.txt");
        Files.writeString(queries, "www.load.test A\nns1.load.test A\nload.test SOA\nload.test NS\n");
        Process dnsperf = new ProcessBuilder("dnsperf", "-s", APPLIANCE, "-d", queries.toString(), "-l", "3",
                "-Q", "2000", "-t", "2", "-c", "1").redirectErrorStream(true).start();
        AtomicInteger swaps = new AtomicInteger();
        while (dnsperf.isAlive() && swaps.get() < 30) {
            ApplianceHttp.putZone(http, "load.test", zone("load.test", 2 + swaps.getAndIncrement()));
            Thread.sleep(50);
        }
        String report = new String(dnsperf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dnsperf.waitFor(20, TimeUnit.SECONDS), report);
        assertEquals(0, dnsperf.exitValue(), report);
        long completed = ApplianceHttp.number(report, "Queries completed:\\s+(\\d+)");
        assertTrue(swaps.get() >= 5, () -> "only " + swaps.get() + " swaps during the run:\n" + report);
        assertTrue(completed > 1000, report);
        assertEquals(0, ApplianceHttp.number(report, "Queries lost:\\s+(\\d+)"), report);
        assertEquals(completed, ApplianceHttp.number(report, "NOERROR (\\d+)"), report);
        assertEquals((1L + swaps.get()) + "", dig("load.test", "SOA").strip().split(" ")[2],
                "the last zone put is the one served");
    }

    private static String zone(String origin, long serial) {
        return """
                $ORIGIN %s.
                @    300 IN SOA ns1 hostmaster %d 3600 900 604800 300
                @    300 IN NS  ns1
                ns1  300 IN A   198.18.50.53
                www  300 IN A   198.18.50.99
                """.formatted(origin, serial);
    }




    /**
     * {@code dig +short} at the appliance's IPv4 address unless the arguments name a server; bounded in time, and
     * failing the test when dig gets no answer.
     */
    private static String dig(String... args) {
        List<String> command = new ArrayList<>(List.of("dig", "+short", "+time=2", "+tries=2"));
        if (Arrays.stream(args).noneMatch(a -> a.startsWith("@"))) {
            command.add("@" + APPLIANCE);
        }
        command.addAll(List.of(args));
        // dig's time and tries bound it; its status says whether any answer came (9: none).
        Shell.Result dig = Shell.run(30, command.toArray(String[]::new));
        assertEquals(0, dig.exitCode(), () -> String.join(" ", command) + ": " + dig.output());
        return dig.output();
    }

    /**
     * The data plane's dnstap file, closed at stop, as BIND's dnstap-read decodes it: the UDP queries and their whole
     * responses — minimal ones (the default): the answer with no authority section.
     */
    private static void checkDnstap(Path file) throws Exception {
        Prerequisites.requireProgram("dnstap-read", "bind9-dnsutils");
        // Thousands of messages (the dnsperf run): decoded into a file rather than through a pipe.
        Path yaml = file.resolveSibling("appliance.yaml");
        Shell.Result read = Shell.run(120, "sh", "-c", "dnstap-read -y '" + file + "' > '" + yaml + "'");
        assertEquals(0, read.exitCode(), read.output());
        String y = Files.readString(yaml);
        assertTrue(y.contains("type: AUTH_QUERY") && y.contains("type: AUTH_RESPONSE"), "both message types");
        assertTrue(y.contains("response_address: \"198.18.50.53\"") && y.contains("query_address: \"198.18.50.1\""),
                "the appliance's and the host's addresses");
        int answer = y.indexOf("- 'www.isthmus.test. 300 IN A 198.18.0.80'");
        assertTrue(answer > 0, "the answer to www.isthmus.test A, decoded");
        int next = y.indexOf("\n---", answer);
        String rest = y.substring(answer, next < 0 ? y.length() : next);
        assertFalse(rest.contains("AUTHORITY_SECTION"), "minimal responses: no authority section\n" + rest);
    }

    /** Output of a command, bounded in time. */
    private static String run(String... command) {
        return Shell.run(10, command).output();
    }

    private static int exitCode(String... command) {
        return Shell.run(10, command).exitCode();
    }
}
