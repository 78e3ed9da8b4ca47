package dev.isthmus.control.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in headless Chromium against the control plane alone (no data plane, no root): it loads from
 * the jar, polls the API, shows the zones and the bridge domains, and says the appliance is DOWN with the reason.
 * {@code OperatorViewsOverTapTest} checks its numbers move under traffic.
 */
@MicronautTest
class DashboardPageTest extends ControlPlaneTest {

    @Inject
    EmbeddedServer server;

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                dns:
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """;
    }

    @Test
    void thePageShowsZonesDomainsAndHealth() throws Exception {
        http.toBlocking().exchange(HttpRequest.POST("/vswitch/bridge-domains", """
                {"vni":4242,"name":"page-test"}""").contentType(MediaType.APPLICATION_JSON_TYPE));
        try (HeadlessChromium page = HeadlessChromium.open(server.getURL() + "/ui", 1200, 900)) {
            for (int i = 0; i < 60 && Integer.parseInt(page.evaluate("(document.body && document.body.dataset.polls) || '0'")) < 2; i++) {
                Thread.sleep(250);
            }
            if (Integer.parseInt(page.evaluate("(document.body && document.body.dataset.polls) || '0'")) < 2) {
                fail("the page did not poll: " + page.evaluate("document.getElementById('updated').textContent"));
            }
            String zones = page.evaluate("document.querySelector('#zones tbody').textContent");
            assertTrue(zones.startsWith("isthmus.test"), zones);
            String domains = page.evaluate("document.querySelector('#domains tbody').textContent");
            assertTrue(domains.startsWith("4242page-test"), domains);
            String health = page.evaluate("document.getElementById('health').textContent");
            assertTrue(health.startsWith("DOWN: "), health);
            assertEquals("true", page.evaluate("String(document.getElementById('token-form').hidden)"), "no token asked for");
        }
    }
}
