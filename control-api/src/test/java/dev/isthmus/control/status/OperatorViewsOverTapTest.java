package dev.isthmus.control.status;

import dev.isthmus.nativebindings.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isthmus.control.testing.TestConfig;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * What an operator looks at, against a running appliance on a net_tap port with DNS traffic and a bridge domain
 * towards a remote VTEP: every series the Grafana dashboard ({@code docs/grafana/isthmus-dashboard.json}) queries
 * is in a real scrape of {@code /prometheus}. Needs root (TAP device); run under the shared test lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorViewsOverTapTest {

    static final String IFACE = "isthmusops0";
    static final String APPLIANCE = "198.18.52.53";
    static final Path DASHBOARD = Path.of("..", "docs", "grafana", "isthmus-dashboard.json");

    private TestConfig config;
    private ApplicationContext context;
    HttpClient http;
    String baseUrl;

    @BeforeAll
    void start() throws Exception {
        Prerequisites.requireRoot("the TAP device");
        config = TestConfig.write("""
                eal:
                  file-prefix: isthmusops
                lcores:
                  workers: [-1]
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s,mac=02:00:00:00:52:53
                    addresses: [198.18.52.53/24]
                    kernel-addresses: [198.18.52.1/24]
                dns:
                  exception-path: false
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """.formatted(IFACE));
        context = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(config.propertiesWithDataplane()))
                .getApplicationContext();
        baseUrl = context.getBean(EmbeddedServer.class).getURL().toString();
        http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL());
        awaitHealthy();
        // A bridge domain with a remote VTEP, so that the vswitch's per-domain and per-VTEP series exist.
        http.toBlocking().exchange(HttpRequest.PUT("/vswitch/underlay", """
                {"port":"tap0","ipv4":"198.18.52.53/24"}""").contentType(MediaType.APPLICATION_JSON_TYPE));
        http.toBlocking().exchange(HttpRequest.POST("/vswitch/bridge-domains", """
                {"vni":5201,"name":"ops-test","vteps":["198.18.52.9"]}""").contentType(MediaType.APPLICATION_JSON_TYPE));
        for (int i = 0; i < 3; i++) {
            Shell.run(10, "dig", "+short", "+time=2", "+tries=1", "@" + APPLIANCE, "www.isthmus.test", i == 2 ? "AAAA" : "A");
        }
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
            }
        } finally {
            config.close();
        }
    }

    private void awaitHealthy() throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                if (http.toBlocking().exchange(HttpRequest.GET("/health"), String.class).getStatus() == HttpStatus.OK) {
                    return;
                }
            } catch (HttpClientResponseException e) {
                // 503 while the link comes up
            }
            Thread.sleep(200);
        }
        fail("the appliance did not become healthy");
    }

    /** @return the series names ({@code isthmus_...}) the dashboard's queries use */
    @SuppressWarnings("unchecked")
    static TreeSet<String> dashboardSeries() throws Exception {
        Map<String, Object> dashboard = new Yaml().load(Files.readString(DASHBOARD)); // JSON is YAML
        TreeSet<String> series = new TreeSet<>();
        Pattern name = Pattern.compile("\\bisthmus_[a-z0-9_]+");
        for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
            for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
                Matcher m = name.matcher((String) target.get("expr"));
                while (m.find()) {
                    series.add(m.group());
                }
            }
        }
        return series;
    }

    @Test
    void everySeriesTheGrafanaDashboardQueriesIsInARealScrape() throws Exception {
        TreeSet<String> wanted = dashboardSeries();
        assertTrue(wanted.size() >= 20, "the dashboard queries " + wanted);
        HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/prometheus"), String.class);
        String scrape = response.body();
        TreeSet<String> scraped = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(isthmus_[a-z0-9_]+)[{ ]").matcher(scrape);
        while (m.find()) {
            scraped.add(m.group(1));
        }
        TreeSet<String> missing = new TreeSet<>(wanted);
        missing.removeAll(scraped);
        assertEquals(new TreeSet<>(), missing, "series the dashboard queries but the scrape lacks; scraped: " + scraped);
        // The values are real: DNS was answered and the lcore counted its loops.
        assertTrue(Pattern.compile("(?m)^isthmus_dns_qtype_responses_total\\{qtype=\"A\"} [1-9]").matcher(scrape).find(), scrape);
        assertTrue(Pattern.compile("(?m)^isthmus_lcore_loops_total\\{lcore=\"[^\"]+\"} [1-9]").matcher(scrape).find(), scrape);
        assertTrue(scrape.contains("isthmus_vswitch_vtep_rx_frames_total{vni=\"5201\",vtep=\"198.18.52.9\"}"), scrape);
        assertTrue(scrape.contains("isthmus_vswitch_fdb_entries{type=\"static\",vni=\"5201\"}"), scrape);
    }
}
