package dev.isthmus.control.appliance;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.status.HealthReport;
import dev.isthmus.control.status.Stats;
import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.testing.Shell;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The appliance in handoff mode ({@code lcores.io}): one I/O lcore polls the net_tap uplink and the exception port
 * and hands each flow through an {@code MbufRing} to one of two workers, which answer DNS and transmit on their own
 * TX queues. Checked end to end with the real clients: dig and kdig over UDP, TCP through the exception path, a
 * truncated answer retried over TCP, and a bounded dnsperf run from many source ports with nothing lost; both
 * workers' counters show their share, the I/O lcore answered nothing itself, and at stop every mbuf is back in the
 * pool. Needs root (CI runs as root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplianceHandoffOverTapTest {

    private static final String IFACE = "isthmushof0";
    private static final String APPLIANCE = "198.18.51.53";

    private TestConfig config;
    private ApplicationContext context;
    private HttpClient http;
    private Dataplane dataplane;

    @BeforeAll
    void start() {
        Prerequisites.requireRoot("TAP devices and namespaces");
        Prerequisites.requireProgram("dig", "dnsutils");
        Prerequisites.requireProgram("kdig", "knot-dnsutils");
        Prerequisites.requireProgram("dnsperf", "dnsperf");
        config = TestConfig.write("""
                eal:
                  file-prefix: isthmush
                lcores:
                  io: [-1]
                  workers: [-1, -1]
                  handoff-ring: 512
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s,mac=02:00:00:00:05:54
                    addresses: [198.18.51.53/24]
                    kernel-addresses: [198.18.51.1/24]
                dns:
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """.formatted(IFACE));
        context = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(config.propertiesWithDataplane()))
                .getApplicationContext();
        http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL());
        dataplane = context.getBean(ApplianceDataplane.class).running().orElseThrow();
    }

    @AfterAll
    void stop() {
        if (config == null) {
            return;
        }
        try {
            if (http != null) {
                http.close();
            }
            if (context != null) {
                context.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool, rings drained");
            }
        } finally {
            config.close();
        }
    }

    @Test
    void workersAnswerWhatTheIoLcoreHandsThem() throws Exception {
        ApplianceHttp.awaitHealthy(http);
        assertEquals(3, dataplane.workers().size(), "one I/O lcore and two workers");
        assertEquals("198.18.0.80", dig("www.isthmus.test").strip(), "UDP answered by a worker");
        assertEquals("198.18.0.80", run("kdig", "+short", "+time=2", "+retry=1", "@" + APPLIANCE, "www.isthmus.test")
                .strip(), "kdig too");
        assertEquals("198.18.0.80", dig("+tcp", "www.isthmus.test").strip(), "TCP through the exception path");

        ApplianceHttp.putZone(http, "big.test", bigZone());
        String truncatedThenTcp = run("dig", "+noedns", "+time=2", "+tries=2", "@" + APPLIANCE, "big.test", "TXT");
        assertTrue(truncatedThenTcp.contains("Truncated, retrying in TCP mode"), truncatedThenTcp);
        assertEquals(40, truncatedThenTcp.lines().filter(l -> l.contains("\tTXT\t")).count(), truncatedThenTcp);

        // Sixteen clients, each with its own source port: flows the I/O lcore spreads over both workers.
        Path queries = config.directory().resolve("queries.txt");
        Files.writeString(queries, "www.isthmus.test A\nwww.isthmus.test AAAA\nisthmus.test SOA\nnope.isthmus.test A\n");
        Shell.Result perf = Shell.run(30, "dnsperf", "-s", APPLIANCE, "-d", queries.toString(), "-l", "3", "-Q",
                "3000", "-c", "16", "-t", "2");
        assertEquals(0, perf.exitCode(), perf.output());
        long completed = ApplianceHttp.number(perf.output(), "Queries completed:\\s+(\\d+)");
        assertTrue(completed > 3000, perf.output());
        assertEquals(0, ApplianceHttp.number(perf.output(), "Queries lost:\\s+(\\d+)"), perf.output());

        Stats stats = http.toBlocking().retrieve(HttpRequest.GET("/stats"), Stats.class);
        Map<String, Long> io = stats.lcores().get("lcore0");
        assertTrue(io.get("handed_off") >= completed, () -> "the I/O lcore hands everything off: " + io);
        assertEquals(0L, io.get("tx_packets"), () -> "the I/O lcore transmits nothing: " + io);
        for (String worker : List.of("lcore1", "lcore2")) {
            Map<String, Long> w = stats.lcores().get(worker);
            assertTrue(w.get("tx_packets") > completed / 10, () -> worker + " took its share: " + stats.lcores());
            assertEquals(0L, w.get("ring_full"), () -> worker + ": " + w);
        }
        Map<String, Long> answers = stats.dns().perLcore();
        assertEquals(0L, answers.getOrDefault("lcore0", 0L), () -> "the I/O lcore answers nothing: " + answers);
        assertTrue(answers.get("lcore1") + answers.get("lcore2") >= completed, () -> "workers answered: " + answers);
    }

    private static String bigZone() {
        StringBuilder zone = new StringBuilder("""
                $ORIGIN big.test.
                @    300 IN SOA ns1 hostmaster 1 3600 900 604800 300
                @    300 IN NS  ns1
                ns1  300 IN A   198.18.51.53
                """);
        for (int i = 0; i < 40; i++) {
            zone.append("@ 300 IN TXT \"record ").append(i).append(" of forty, long enough to overflow 512 bytes\"\n");
        }
        return zone.toString();
    }




    private static String dig(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "+short", "+time=2", "+tries=2",
                "@" + APPLIANCE));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static String run(String... command) {
        return Shell.run(10, command).output();
    }
}
