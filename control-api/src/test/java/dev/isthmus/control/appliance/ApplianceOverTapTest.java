package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.status.HealthReport;
import dev.isthmus.control.status.Stats;
import dev.isthmus.control.testing.TestConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The whole appliance with its data plane on a net_tap port, as {@code ./isthmus run} starts it: the kernel side gets
 * its address and comes up, the host pings the appliance's address through it, {@code /health} turns 200 and
 * {@code /stats} counts the traffic; closing the context (what Ctrl-C does) removes the TAP interface.
 */
class ApplianceOverTapTest {

    private static final String IFACE = "isthmusctl0";

    @Test
    void startsServesHealthAndStatsAndRemovesTheTapAtStop() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for TAP devices");
        try (TestConfig config = TestConfig.write("""
                lcores:
                  workers: [-1]
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s
                    addresses: [198.18.5.53/24, "2001:db8:5::53/64"]
                    kernel-addresses: [198.18.5.1/24, "2001:db8:5::1/64"]
                dns:
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """.formatted(IFACE))) {
            try (ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, properties(config)).getApplicationContext();
                 HttpClient http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL())) {
                assertTrue(run("ip", "-o", "address", "show", "dev", IFACE).contains("198.18.5.1/24"));

                HealthReport health = awaitHealthy(http);
                assertEquals(new HealthReport("UP", List.of()), health);

                assertEquals(0, exitCode("ping", "-c", "2", "-W", "2", "-I", IFACE, "198.18.5.53"),
                        "the host stage answers ping for the appliance address");

                Stats stats = http.toBlocking().retrieve(HttpRequest.GET("/stats"), Stats.class);
                assertTrue(stats.running());
                Stats.PortStatsView port = stats.ports().getFirst();
                assertEquals("tap0", port.name());
                assertTrue(port.linkUp());
                assertTrue(port.rxPackets() >= 2, () -> "received " + port.rxPackets());
                assertTrue(port.txPackets() >= 2, () -> "sent " + port.txPackets());
                assertEquals(1, stats.lcores().size());
                assertEquals(1, stats.dns().zones());

                String scrape = http.toBlocking().retrieve(HttpRequest.GET("/prometheus"), String.class);
                assertTrue(scrape.contains("isthmus_up 1.0"), scrape);
                assertTrue(scrape.contains("isthmus_port_rx_packets_total{port=\"tap0\"}"), scrape);

                List<JournalEntry> starts = context.getBean(Journal.class).latest(1, e -> e.action().equals("start"));
                assertEquals("appliance", starts.getFirst().subject());
            }
            assertFalse(exitCode("ip", "link", "show", "dev", IFACE) == 0, "the TAP interface is removed at stop");
            try (Journal journal = new Journal(config.directory().resolve("journal"))) {
                assertEquals("stop", journal.latest(1, e -> true).getFirst().action());
            }
        }
    }

    private static java.util.Map<String, Object> properties(TestConfig config) {
        return new java.util.HashMap<>(config.propertiesWithDataplane());
    }

    /** The link comes up once the kernel side is up; wait for it a bounded number of times. */
    private static HealthReport awaitHealthy(HttpClient http) throws InterruptedException {
        HealthReport last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpResponse<HealthReport> response = http.toBlocking().exchange(HttpRequest.GET("/health"), HealthReport.class);
                if (response.getStatus() == HttpStatus.OK) {
                    return response.body();
                }
            } catch (HttpClientResponseException e) {
                last = e.getResponse().getBody(HealthReport.class).orElse(null);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never healthy; last report " + last);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Path.of("/dev/null").toFile()).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
