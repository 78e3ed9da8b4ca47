package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.dns.SecondaryStatus;
import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dns.xfr.KnotPrimary;
import dev.isthmus.nativebindings.testing.Prerequisites;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the whole appliance on a net_tap port as a TSIG secondary of Knot, which runs on the TAP's host side.
 * The zone is defined over REST; the first AXFR and every later transfer go out of the exception path's namespace
 * through the data plane; a change committed on Knot reaches the data plane's answers by Knot's NOTIFY (received on
 * the appliance's address, punted to the control plane) and IXFR while dnsperf runs, which loses nothing and gets no
 * error; a key Knot does not know is refused and changes nothing. Needs root, knotd, dig and dnsperf.
 */
class SecondaryOverTapTest {
    private static final String IFACE = "isthmusxin0";
    private static final String APPLIANCE = "198.18.52.53";
    private static final String HOST = "198.18.52.1";
    private static final String SECRET = "UmbsfheALU4GWrglebepS6IgbzsHs4M3W2Eh0FsoFJk=";
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String ZONE = """
            $ORIGIN example.org.
            $TTL 300
            @ SOA ns1 hostmaster 1 3600 5 600 300
            @ NS ns1
            ns1 A 198.18.52.53
            www A 198.18.0.10
            """;

    @Test
    void followsKnotThroughTheDataPlaneWithoutLosingAQuery() throws Exception {
        Prerequisites.requireRoot("TAP devices and namespaces");
        Prerequisites.requireProgram("knotd", "knot");
        Prerequisites.requireProgram("dig", "dnsutils");
        Prerequisites.requireProgram("dnsperf", "dnsperf");
        try (TestConfig config = TestConfig.write("""
                eal:
                  file-prefix: isthmusxi
                lcores:
                  workers: [-1]
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s,mac=02:00:00:00:52:53
                    addresses: [%s/24]
                    kernel-addresses: [%s/24]
                dns:
                  tsig-keys:
                    - {name: xfr, algorithm: hmac-sha256, secret: "%s"}
                    - {name: unknown-to-knot, algorithm: hmac-sha256, secret: "%s"}
                """.formatted(IFACE, APPLIANCE, HOST, SECRET, SECRET));
             ApplicationContext context = ApplicationContext.run(EmbeddedServer.class,
                     new HashMap<>(config.propertiesWithDataplane())).getApplicationContext();
             HttpClient http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL())) {
            ApplianceHttp.awaitHealthy(http);
            Path knotDir = Files.createDirectories(config.directory().resolve("knot"));
            try (KnotPrimary knot = new KnotPrimary(knotDir, HOST + "@5300", "example.org", ZONE, "xfr", SECRET,
                    APPLIANCE + "@53")) {
                HttpResponse<SecondaryStatus> created = http.toBlocking().exchange(HttpRequest.PUT(
                        "/dns/zones/example.org", "{\"primaries\": [\"" + HOST + "@5300\"], \"key\": \"xfr\"}")
                        .contentType(MediaType.APPLICATION_JSON), SecondaryStatus.class);
                assertEquals(HttpStatus.CREATED, created.getStatus());
                await(() -> dig("www.example.org"), "198.18.0.10", "the first AXFR, served by the data plane", http,
                        knot);

                Path queries = config.directory().resolve("queries.txt");
                Files.writeString(queries, "www.example.org A\nns1.example.org A\nexample.org SOA\nexample.org NS\n");
                Process dnsperf = new ProcessBuilder("dnsperf", "-s", APPLIANCE, "-d", queries.toString(), "-l", "4",
                        "-Q", "2000", "-t", "2", "-c", "1").redirectErrorStream(true).start();
                Thread.sleep(500);
                knot.change("new 300 A 198.18.0.20");
                await(() -> dig("new.example.org"), "198.18.0.20", "Knot's NOTIFY, then IXFR", http, knot);
                String report = new String(dnsperf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(dnsperf.waitFor(30, TimeUnit.SECONDS), report);
                assertEquals(0, dnsperf.exitValue(), report);
                long completed = ApplianceHttp.number(report, "Queries completed:\\s+(\\d+)");
                assertTrue(completed > 1000, report);
                assertEquals(0, ApplianceHttp.number(report, "Queries lost:\\s+(\\d+)"), report);
                assertEquals(completed, ApplianceHttp.number(report, "NOERROR (\\d+)"), report);

                SecondaryStatus status = status(http);
                assertEquals(2, status.serial());
                assertTrue(status.lastTransfer().startsWith("IXFR from serial 1 to 2"), status.lastTransfer());

                // A key Knot does not know: refused, reported, and the data plane's answers unchanged.
                http.toBlocking().exchange(HttpRequest.PUT("/dns/zones/example.org",
                        "{\"primaries\": [\"" + HOST + "@5300\"], \"key\": \"unknown-to-knot\"}")
                        .contentType(MediaType.APPLICATION_JSON), SecondaryStatus.class);
                SecondaryStatus refused = http.toBlocking().retrieve(
                        HttpRequest.POST("/dns/zones/example.org/refresh", ""), SecondaryStatus.class);
                assertTrue(refused.lastError() != null && (refused.lastError().contains("NOTAUTH")
                        || refused.lastError().contains("TSIG")), String.valueOf(refused.lastError()));
                assertEquals(2, refused.serial());
                assertEquals("198.18.0.20", dig("new.example.org"));
            }
        }
    }

    private static SecondaryStatus status(HttpClient http) {
        String json = http.toBlocking().retrieve(HttpRequest.GET("/dns/zones/example.org/refresh".replace(
                "/refresh", "")), String.class);
        assertTrue(json.contains("\"kind\":\"secondary\""), json);
        return http.toBlocking().retrieve(HttpRequest.POST("/dns/zones/example.org/refresh", ""),
                SecondaryStatus.class);
    }

    private static void await(Supplier<String> answer, String expected, String what, HttpClient http,
                              KnotPrimary knot) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = answer.get();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        String state = http.toBlocking().retrieve(HttpRequest.GET("/dns/zones/example.org"), String.class);
        throw new AssertionError(what + ": no '" + expected + "' within " + BOUND.toSeconds() + " s (last '" + last
                + "')\nstate: " + state + "\nknot: " + knot.log());
    }

    /** {@code dig +short} at the appliance; empty when nothing came (never fails: the caller polls). */
    private static String dig(String name) {
        return Shell.run(10, "dig", "+short", "+time=1", "+tries=1", "@" + APPLIANCE, name).output().strip();
    }
}
