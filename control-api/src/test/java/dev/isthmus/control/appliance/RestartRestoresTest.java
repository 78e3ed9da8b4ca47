package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.dns.ZoneDetail;
import dev.isthmus.control.testing.EngineProbe;
import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.vswitch.fdb.Fdb;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What was changed over REST survives a restart of the appliance: the second application context, on the same
 * configuration and journal, serves the zone put (and then patched) and the bridge domain created by the first one.
 */
class RestartRestoresTest {

    private static final String ZONE = """
            $ORIGIN kept.test.
            @    300 IN SOA ns1 hostmaster 41 3600 900 604800 300
            @    300 IN NS  ns1
            ns1  300 IN A   198.18.0.53
            """;

    @Test
    void zonesAndBridgeDomainsChangedOverRestAreBackAfterARestart() {
        try (TestConfig config = TestConfig.write("""
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                  - {name: p1, device: net_null1}
                """)) {
            Map<String, Object> properties = new HashMap<>(config.properties());
            try (ApplicationContext first = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
                 HttpClient http = HttpClient.create(first.getBean(EmbeddedServer.class).getURL())) {
                http.toBlocking().exchange(HttpRequest.PUT("/dns/zones/kept.test", ZONE).contentType(MediaType.TEXT_PLAIN));
                http.toBlocking().exchange(HttpRequest.PATCH("/dns/zones/kept.test",
                        "[{\"op\":\"add\",\"name\":\"www\",\"type\":\"A\",\"ttl\":60,\"data\":\"198.18.0.80\"}]")
                        .contentType(MediaType.APPLICATION_JSON));
                http.toBlocking().exchange(HttpRequest.POST("/vswitch/bridge-domains",
                        new BridgeDomainView(5, "kept", List.of(new PortRef("p1", 5)), List.of(), List.of(), null, 60, null, null, null, null)));
            }
            try (ApplicationContext second = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
                 HttpClient http = HttpClient.create(second.getBean(EmbeddedServer.class).getURL())) {
                ZoneDetail zone = http.toBlocking().retrieve(HttpRequest.GET("/dns/zones/kept.test"), ZoneDetail.class);
                assertEquals(42, zone.zone().serial(), "the put's 41, incremented by the patch");
                assertTrue(zone.text().contains("www.kept.test. 60 IN A 198.18.0.80\n"), zone.text());
                assertEquals(new EngineProbe.Answer(0, 1, true),
                        EngineProbe.ask(second.getBean(ZoneCatalog.class), "www.kept.test", 1));
                assertEquals("journal", zone.zone().source());
                List<BridgeDomainView> domains = http.toBlocking().retrieve(HttpRequest.GET("/vswitch/bridge-domains"),
                        Argument.listOf(BridgeDomainView.class));
                assertEquals(List.of(new BridgeDomainView(5, "kept", List.of(new PortRef("p1", 5)), List.of(), List.of(),
                        Fdb.DEFAULT_MAC_LIMIT, 60, true, false, 64, List.of())), domains);
            }
        }
    }
}
