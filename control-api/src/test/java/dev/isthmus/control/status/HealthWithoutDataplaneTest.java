package dev.isthmus.control.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control plane alone (data plane off): health must say so with 503, stats must say it is not running. */
@MicronautTest
class HealthWithoutDataplaneTest extends ControlPlaneTest {

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                vswitch:
                  bridge-domains:
                    - {vni: 9, ports: [p0.9]}
                dns:
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """;
    }

    @Inject
    @Client("/")
    HttpClient http;



    @Test
    void healthIs503WithTheReason() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().retrieve(HttpRequest.GET("/health"), HealthReport.class));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, e.getStatus());
        assertEquals(new HealthReport("DOWN", List.of("the data plane is not running")),
                e.getResponse().getBody(HealthReport.class).orElseThrow());
    }

    @Test
    void prometheusScrapeServesJvmAndHttpMetrics() {
        String scrape = http.toBlocking().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(scrape.contains("jvm_memory_used_bytes"), scrape);
    }

    @Test
    void statsSayNotRunningAndStillCountZones() {
        Stats stats = http.toBlocking().retrieve(HttpRequest.GET("/stats"), Stats.class);
        assertFalse(stats.running());
        assertEquals(List.of(), stats.ports());
        assertEquals(1, stats.dns().zones());
        assertEquals(0L, stats.vswitch().get("9").get("flooded"));
    }
}
