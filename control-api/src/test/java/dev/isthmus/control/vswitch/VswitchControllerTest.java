package dev.isthmus.control.vswitch;

import dev.isthmus.control.vswitch.view.StaticEntryView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

@MicronautTest
class VswitchControllerTest extends ControlPlaneTest {

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: access0, device: net_null0, addresses: [198.18.0.53/24]}
                  - {name: access1, device: net_null1}
                  - {name: uplink0, device: net_null2}
                """;
    }

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Journal journal;



    private BlockingHttpClient client() {
        return http.toBlocking();
    }

    private BridgeDomainView create(BridgeDomainView domain) {
        HttpResponse<BridgeDomainView> response = client().exchange(HttpRequest.POST("/vswitch/bridge-domains", domain),
                BridgeDomainView.class);
        assertEquals(HttpStatus.CREATED, response.getStatus());
        return response.body();
    }

    private static BridgeDomainView domain(int vni, List<PortRef> ports, List<String> vteps) {
        return new BridgeDomainView(vni, "vni" + vni, ports, vteps, List.of(), null, null, null, null, null, null);
    }

    private BridgeDomainView get(int vni) {
        return client().retrieve(HttpRequest.GET("/vswitch/bridge-domains/" + vni), BridgeDomainView.class);
    }

    private static ErrorResponse refused(HttpStatus status, Supplier<?> call) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, call::get);
        assertEquals(status, e.getStatus());
        return e.getResponse().getBody(ErrorResponse.class).orElseThrow();
    }

    private void setUnderlay() {
        client().exchange(HttpRequest.PUT("/vswitch/underlay",
                new UnderlayView("uplink0", "02:00:00:00:01:01", "198.18.1.1/24", null, null, null, null, null)),
                UnderlayView.class);
    }

    @Test
    void createReadAndDeleteABridgeDomainWithDefaults() {
        BridgeDomainView created = create(domain(100, List.of(new PortRef("access0", 0)), List.of()));
        assertEquals(300, created.agingSeconds());
        assertEquals(Boolean.TRUE, created.arpSuppression());
        assertEquals(List.of(new PortRef("access0", 0)), get(100).ports());
        assertTrue(client().retrieve(HttpRequest.GET("/vswitch/bridge-domains"), Argument.listOf(BridgeDomainView.class))
                .stream().anyMatch(d -> d.vni() == 100));

        JournalEntry change = journal.latest(1, e -> e.subject().equals("vswitch.bd/100")).getFirst();
        assertEquals("create", change.action());
        assertTrue(change.value().contains("\"access0\""), change.value());

        assertEquals(HttpStatus.NO_CONTENT, client().exchange(HttpRequest.DELETE("/vswitch/bridge-domains/100")).getStatus());
        refused(HttpStatus.NOT_FOUND, () -> get(100));
        refused(HttpStatus.NOT_FOUND, () -> client().exchange(HttpRequest.DELETE("/vswitch/bridge-domains/100")));
    }

    @Test
    void invalidCommandsAre400AndChangeNothing() {
        ErrorResponse tooBig = refused(HttpStatus.BAD_REQUEST, () -> create(domain(1 << 24, List.of(), List.of())));
        assertEquals(List.of("vni: must be less than or equal to 16777215"), tooBig.problems());

        ErrorResponse badVlan = refused(HttpStatus.BAD_REQUEST,
                () -> create(domain(200, List.of(new PortRef("access0", 4095)), List.of())));
        assertEquals(List.of("ports[0].vlan: must be less than or equal to 4094"), badVlan.problems());

        ErrorResponse noSuchPort = refused(HttpStatus.BAD_REQUEST,
                () -> create(domain(200, List.of(new PortRef("eth9", 0)), List.of())));
        assertEquals("no port named 'eth9', nothing changed", noSuchPort.message());

        // The underlay (if another test set one) is IPv4 only: an IPv6 VTEP has no way out.
        ErrorResponse noUnderlay = refused(HttpStatus.BAD_REQUEST,
                () -> create(domain(201, List.of(), List.of("2001:db8:1::2"))));
        assertTrue(noUnderlay.message().contains("needs an underlay IPv6 address"), noUnderlay.message());

        refused(HttpStatus.NOT_FOUND, () -> get(200));
        refused(HttpStatus.NOT_FOUND, () -> get(201));
    }

    /**
     * An unknown field in any command's body is a 400 naming it, like an unknown key in the configuration file: a
     * typo ({@code mac-limit} for {@code macLimit}) must not fall back to a default.
     */
    @Test
    void unknownFieldsInEveryBodyAre400NamingTheField() {
        create(domain(450, List.of(), List.of())); // no port: other tests of the class use them
        String[][] calls = {
            {"POST", "/vswitch/bridge-domains", "{\"vni\":451,\"mac-limit\":-5}", "mac-limit"},
            {"PUT", "/vswitch/bridge-domains/450/settings",
                "{\"macLimit\":100,\"agingSeconds\":300,\"arpSuppression\":true,\"aging\":5}", "aging"},
            {"POST", "/vswitch/bridge-domains/450/ports", "{\"port\":\"access1\",\"vlan\":0,\"tagged\":true}",
                "tagged"},
            {"POST", "/vswitch/bridge-domains/450/vteps", "{\"address\":\"198.18.1.9\",\"port\":4790}", "port"},
            {"POST", "/vswitch/bridge-domains/450/fdb",
                "{\"mac\":\"02:00:00:00:00:01\",\"port\":{\"port\":\"access0\",\"vlan\":0,\"pvid\":1}}", "pvid"},
            {"PUT", "/vswitch/underlay", "{\"port\":\"uplink0\",\"mac\":\"02:00:00:00:01:01\","
                + "\"ipv4\":\"198.18.1.1/24\",\"gateway\":\"198.18.1.254\"}", "gateway"},
        };
        for (String[] call : calls) {
            ErrorResponse e = refused(HttpStatus.BAD_REQUEST, () -> client().exchange(
                    HttpRequest.create(io.micronaut.http.HttpMethod.valueOf(call[0]), call[1])
                            .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE).body(call[2]), String.class));
            assertTrue(e.message().contains("Unknown property [" + call[3] + "]"), call[1] + ": " + e);
            assertEquals(400, e.status());
        }
        refused(HttpStatus.NOT_FOUND, () -> get(451));
        BridgeDomainView unchanged = get(450);
        assertTrue(unchanged.ports().isEmpty());
        assertEquals(300, unchanged.agingSeconds());
        assertTrue(unchanged.vteps().isEmpty() && unchanged.staticEntries().isEmpty());
        client().exchange(HttpRequest.DELETE("/vswitch/bridge-domains/450"));
    }

    @Test
    void invalidUnderlaysAre400AndChangeNothing() {
        setUnderlay();
        UnderlayView before = client().retrieve(HttpRequest.GET("/vswitch/underlay"), UnderlayView.class);
        ErrorResponse noAddress = refused(HttpStatus.BAD_REQUEST, () -> client().exchange(HttpRequest.PUT("/vswitch/underlay",
                new UnderlayView("uplink0", "02:00:00:00:01:01", null, null, null, null, null, null))));
        assertEquals(List.of("ipv4 or ipv6 is required"), noAddress.problems());
        ErrorResponse badMac = refused(HttpStatus.BAD_REQUEST, () -> client().exchange(HttpRequest.PUT("/vswitch/underlay",
                new UnderlayView("uplink0", "01:00:5e:00:00:01", "198.18.1.1/24", null, null, null, null, null))));
        assertTrue(badMac.message().contains("uplink MAC must be a unicast address"), badMac.message());
        ErrorResponse family = refused(HttpStatus.BAD_REQUEST, () -> client().exchange(HttpRequest.PUT("/vswitch/underlay",
                new UnderlayView("uplink0", "02:00:00:00:01:01", "2001:db8::1/64", null, null, null, null, null))));
        assertEquals(List.of("ipv4 must be an IPv4 prefix and ipv6 an IPv6 prefix"), family.problems());
        refused(HttpStatus.BAD_REQUEST, () -> client().exchange(HttpRequest.PUT("/vswitch/underlay",
                new UnderlayView("uplink0", "02:00:00:00:01:01", "198.18.1.1/24", null, null, null, 0, 100))));
        assertEquals(before, client().retrieve(HttpRequest.GET("/vswitch/underlay"), UnderlayView.class));
    }

    @Test
    void portsInUseAndDuplicateDomainsAre409() {
        create(domain(300, List.of(new PortRef("access1", 30)), List.of()));
        ErrorResponse again = refused(HttpStatus.CONFLICT, () -> create(domain(300, List.of(), List.of())));
        assertEquals("bridge domain VNI 300 already exists", again.message());
        ErrorResponse taken = refused(HttpStatus.CONFLICT,
                () -> create(domain(301, List.of(new PortRef("access1", 30)), List.of())));
        assertEquals("port access1 vlan 30 is already an access port of VNI 300", taken.message());
        refused(HttpStatus.NOT_FOUND, () -> get(301));
    }

    @Test
    void portsVtepsStaticEntriesAndFlush() {
        setUnderlay();
        assertEquals("198.18.1.1/24", client().retrieve(HttpRequest.GET("/vswitch/underlay"), UnderlayView.class).ipv4());
        create(domain(400, List.of(), List.of()));

        BridgeDomainView withPort = client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/ports",
                new PortRef("access0", 40)), BridgeDomainView.class);
        assertEquals(List.of(new PortRef("access0", 40)), withPort.ports());
        refused(HttpStatus.CONFLICT, () -> client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/ports",
                new PortRef("access0", 40)), BridgeDomainView.class));

        BridgeDomainView withVtep = client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/vteps",
                new VtepCommand("198.18.1.2")), BridgeDomainView.class);
        assertEquals(List.of("198.18.1.2"), withVtep.vteps());
        refused(HttpStatus.BAD_REQUEST, () -> client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/vteps",
                new VtepCommand("not-an-address")), BridgeDomainView.class));

        client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/fdb",
                new StaticEntryView("02:00:00:00:00:aa", new PortRef("access0", 40), null)), BridgeDomainView.class);
        client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/fdb",
                new StaticEntryView("02:00:00:00:00:bb", null, "198.18.1.2")), BridgeDomainView.class);
        ErrorResponse both = refused(HttpStatus.BAD_REQUEST, () -> client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/fdb",
                new StaticEntryView("02:00:00:00:00:cc", new PortRef("access0", 40), "198.18.1.2")), BridgeDomainView.class));
        assertEquals(List.of("static entry 02:00:00:00:00:cc needs exactly one of port and vtep"), both.problems());
        refused(HttpStatus.BAD_REQUEST, () -> client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/fdb",
                new StaticEntryView("zz:00:00:00:00:cc", null, "198.18.1.2")), BridgeDomainView.class));

        List<FdbEntryJson> fdb = client().retrieve(HttpRequest.GET("/vswitch/bridge-domains/400/fdb"),
                Argument.listOf(FdbEntryJson.class));
        assertEquals(List.of(new FdbEntryJson("02:00:00:00:00:aa", new PortRef("access0", 40), null, true, 0),
                new FdbEntryJson("02:00:00:00:00:bb", null, "198.18.1.2", true, 0)), fdb);

        VswitchController.Flushed flushed = client().retrieve(HttpRequest.POST("/vswitch/bridge-domains/400/fdb/flush", ""),
                VswitchController.Flushed.class);
        assertEquals(0, flushed.removed());
        assertEquals(2, client().retrieve(HttpRequest.GET("/vswitch/bridge-domains/400/fdb"), Argument.listOf(FdbEntryJson.class)).size());

        client().retrieve(HttpRequest.DELETE("/vswitch/bridge-domains/400/fdb/02:00:00:00:00:aa"), BridgeDomainView.class);
        refused(HttpStatus.NOT_FOUND, () -> client().retrieve(HttpRequest.DELETE("/vswitch/bridge-domains/400/fdb/02:00:00:00:00:aa"),
                BridgeDomainView.class));

        BridgeDomainView noVtep = client().retrieve(HttpRequest.DELETE("/vswitch/bridge-domains/400/vteps/198.18.1.2"),
                BridgeDomainView.class);
        assertEquals(List.of(), noVtep.vteps());
        assertEquals(List.of(), noVtep.staticEntries());
        BridgeDomainView noPort = client().retrieve(HttpRequest.DELETE("/vswitch/bridge-domains/400/ports/access0?vlan=40"),
                BridgeDomainView.class);
        assertEquals(List.of(), noPort.ports());

        BridgeDomainView tuned = client().retrieve(HttpRequest.PUT("/vswitch/bridge-domains/400/settings",
                new SettingsCommand(1000, 60, false, null, null)), BridgeDomainView.class);
        assertEquals(60, tuned.agingSeconds());
        refused(HttpStatus.BAD_REQUEST, () -> client().retrieve(HttpRequest.PUT("/vswitch/bridge-domains/400/settings",
                new SettingsCommand(0, 5, false, null, null)), BridgeDomainView.class));

        Map<?, ?> counters = client().retrieve(HttpRequest.GET("/vswitch/bridge-domains/400/counters"), Map.class);
        assertTrue(counters.containsKey("macs_static"), counters::toString);
    }

    @Test
    void vtepLearningIsSetOnCreateAndBySettingsAndBadLimitsAre400() {
        setUnderlay();
        ErrorResponse zero = refused(HttpStatus.BAD_REQUEST, () -> create(new BridgeDomainView(500, "", List.of(),
                List.of(), List.of(), null, null, null, true, 0, null)));
        assertEquals(List.of("maxLearnedVteps: must be greater than or equal to 1"), zero.problems());
        ErrorResponse huge = refused(HttpStatus.BAD_REQUEST, () -> create(new BridgeDomainView(500, "", List.of(),
                List.of(), List.of(), null, null, null, true, 4097, null)));
        assertEquals(List.of("maxLearnedVteps: must be less than or equal to 4096"), huge.problems());
        refused(HttpStatus.NOT_FOUND, () -> get(500));

        BridgeDomainView defaults = create(domain(500, List.of(), List.of("198.18.1.2")));
        assertEquals(Boolean.FALSE, defaults.learnVteps());
        assertEquals(64, defaults.maxLearnedVteps());
        assertEquals(List.of(), defaults.learnedVteps());
        BridgeDomainView on = client().retrieve(HttpRequest.PUT("/vswitch/bridge-domains/500/settings",
                new SettingsCommand(1000, 60, true, true, 16)), BridgeDomainView.class);
        assertEquals(Boolean.TRUE, on.learnVteps());
        assertEquals(16, on.maxLearnedVteps());
        // Settings without the learning fields keep it as it is.
        BridgeDomainView kept = client().retrieve(HttpRequest.PUT("/vswitch/bridge-domains/500/settings",
                new SettingsCommand(1000, 90, true, null, null)), BridgeDomainView.class);
        assertEquals(Boolean.TRUE, kept.learnVteps());
        assertEquals(16, get(500).maxLearnedVteps());
        refused(HttpStatus.BAD_REQUEST, () -> client().retrieve(HttpRequest.PUT("/vswitch/bridge-domains/500/settings",
                new SettingsCommand(1000, 60, true, true, 0)), BridgeDomainView.class));
        assertEquals(16, get(500).maxLearnedVteps());

        BridgeDomainView created = create(new BridgeDomainView(501, "", List.of(), List.of(), List.of(), null, null,
                null, true, 2, null));
        assertEquals(Boolean.TRUE, created.learnVteps());
        assertEquals(2, created.maxLearnedVteps());
        Map<?, ?> counters = client().retrieve(HttpRequest.GET("/vswitch/bridge-domains/501/counters"), Map.class);
        assertTrue(counters.containsKey("vteps_learned"), counters::toString);
    }
}
