package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.EngineProbe;
import dev.isthmus.control.testing.ControlPlaneTest;
import dev.isthmus.dns.engine.CatalogSnapshot;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@MicronautTest
class ZonesControllerTest extends ControlPlaneTest {

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                dns:
                  tsig-keys:
                    - {name: xfr, algorithm: hmac-sha256, secret: "UmbsfheALU4GWrglebepS6IgbzsHs4M3W2Eh0FsoFJk="}
                  zones:
                    - {origin: isthmus.test, file: "classpath:zones/isthmus-test.zone"}
                """;
    }

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ZoneCatalog catalog;

    @Inject
    Journal journal;



    private BlockingHttpClient client() {
        return http.toBlocking();
    }

    private HttpResponse<ZoneSummary> put(String name, String text) {
        return client().exchange(HttpRequest.PUT("/dns/zones/" + name, text).contentType(MediaType.TEXT_PLAIN)
                .header("X-Isthmus-Operator", "zones-test"), ZoneSummary.class);
    }

    private static ErrorResponse error(HttpClientResponseException e) {
        return e.getResponse().getBody(ErrorResponse.class).orElseThrow();
    }

    @Test
    void listsAndReadsTheConfiguredZone() {
        List<ZoneSummary> zones = client().retrieve(HttpRequest.GET("/dns/zones"), Argument.listOf(ZoneSummary.class));
        ZoneSummary configured = zones.stream().filter(z -> z.name().equals("isthmus.test")).findFirst().orElseThrow();
        assertEquals(1, configured.serial());
        assertEquals(5, configured.records());
        assertEquals("classpath:zones/isthmus-test.zone", configured.source());

        ZoneDetail detail = client().retrieve(HttpRequest.GET("/dns/zones/Isthmus.Test."), ZoneDetail.class);
        assertTrue(detail.text().contains("www     IN AAAA 2001:db8:18::80"), detail.text());
        assertEquals(detail.text(), client().retrieve(HttpRequest.GET("/dns/zones/isthmus.test").accept("text/dns"), String.class));
        assertEquals(detail.text(), client().retrieve(HttpRequest.GET("/dns/zones/isthmus.test").accept(MediaType.TEXT_PLAIN), String.class));
        String plain = client().retrieve(HttpRequest.GET("/dns/zones/isthmus.test").header("Accept", "*/*"), String.class);
        assertTrue(plain.startsWith("{\"zone\":"), plain);
    }

    @Test
    void unknownZoneIs404WithTheReason() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> client().retrieve(HttpRequest.GET("/dns/zones/absent.test"), ZoneDetail.class));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        assertEquals("zone absent.test is not served", error(e).message());
    }

    @Test
    void putCreatesThenReplacesAndJournalsTheFullText() {
        String v1 = ZoneServiceTest.zone("created.test", 1);
        HttpResponse<ZoneSummary> created = put("created.test", v1);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        assertEquals(1, created.body().serial());
        assertEquals("rest", created.body().source());
        assertTrue(catalog.zones().containsKey(DnsName.of("created.test")));
        assertEquals(new EngineProbe.Answer(0, 1, true), EngineProbe.ask(catalog, "www.created.test", 1));

        String v2 = ZoneServiceTest.zone("created.test", 2);
        HttpResponse<ZoneSummary> replaced = put("created.test", v2);
        assertEquals(HttpStatus.OK, replaced.getStatus());
        assertEquals(2, catalog.zones().get(DnsName.of("created.test")).serial());
        assertEquals(v2, client().retrieve(HttpRequest.GET("/dns/zones/created.test"), ZoneDetail.class).text());

        JournalEntry change = journal.latest(1, e -> e.kind() == JournalEntry.Kind.CHANGE).getFirst();
        assertEquals("dns.zone/created.test", change.subject());
        assertEquals("put", change.action());
        assertEquals(v2, change.value());
        assertEquals("rest 127.0.0.1 (zones-test)", change.actor());
        assertEquals("serial 2", journal.latest(1, e -> e.action().equals("swapped")).getFirst().value());
    }

    @Test
    void badZoneIs400WithFileAndLineAndNothingChanges() {
        String good = ZoneServiceTest.zone("stable.test", 5);
        put("stable.test", good);
        CatalogSnapshot generation = catalog.snapshot();
        long lastIndex = journal.latest(1, e -> true).getFirst().index();

        String bad = good.replace("www  IN A   198.18.0.80", "www  IN A   198.18.0.999")
                + "mail IN MX  not-a-number mail\n";
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> put("stable.test", bad));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        ErrorResponse body = error(e);
        assertEquals("zone stable.test rejected, nothing changed", body.message());
        assertEquals(2, body.problems().size(), body.problems()::toString);
        assertTrue(body.problems().get(0).startsWith("stable.test.zone:6: "), body.problems()::toString);
        assertTrue(body.problems().get(1).startsWith("stable.test.zone:7: "), body.problems()::toString);

        assertEquals(good, client().retrieve(HttpRequest.GET("/dns/zones/stable.test"), ZoneDetail.class).text());
        assertSame(generation, catalog.snapshot());
        assertEquals(new EngineProbe.Answer(0, 1, true), EngineProbe.ask(catalog, "www.stable.test", 1));
        assertEquals(lastIndex, journal.latest(1, x -> true).getFirst().index());
    }

    @Test
    void emptyOrJsonBodiesAreRefusedAndChangeNothing() {
        CatalogSnapshot generation = catalog.snapshot();
        HttpClientResponseException empty = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/zones/isthmus.test", "").contentType(MediaType.TEXT_PLAIN)));
        assertEquals(HttpStatus.BAD_REQUEST, empty.getStatus());
        HttpClientResponseException json = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/zones/isthmus.test", "{\"zone\": 1}").contentType(MediaType.APPLICATION_JSON)));
        // JSON defines a secondary zone (primaries, key): anything else in it is refused by name.
        assertEquals(HttpStatus.BAD_REQUEST, json.getStatus());
        assertTrue(error(json).problems().contains("zone: unknown field (a secondary zone has primaries and key)"),
                error(json).problems()::toString);
        assertTrue(error(json).problems().stream().anyMatch(p -> p.startsWith("primaries: required")),
                error(json).problems()::toString);
        assertTrue(error(empty).message().contains("Required Body"), error(empty)::message);
        assertSame(generation, catalog.snapshot());
        assertEquals(1, client().retrieve(HttpRequest.GET("/dns/zones/isthmus.test"), ZoneDetail.class).zone().serial());
    }

    @Test
    void invalidZoneNameIs400() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> put("bad..name", ZoneServiceTest.zone("x.test", 1)));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertEquals("not a zone name, nothing changed", error(e).message());
    }

    @Test
    void deleteRemovesTheZoneAndAGoneZoneIs404() {
        put("doomed.test", ZoneServiceTest.zone("doomed.test", 1));
        assertEquals(0, EngineProbe.ask(catalog, "www.doomed.test", 1).rcode());
        HttpResponse<?> deleted = client().exchange(HttpRequest.DELETE("/dns/zones/doomed.test"));
        assertEquals(HttpStatus.NO_CONTENT, deleted.getStatus());
        assertTrue(!catalog.zones().containsKey(DnsName.of("doomed.test")));
        assertEquals(5, EngineProbe.ask(catalog, "www.doomed.test", 1).rcode(), "REFUSED once the zone is gone");
        HttpClientResponseException again = assertThrows(HttpClientResponseException.class,
                () -> client().exchange(HttpRequest.DELETE("/dns/zones/doomed.test")));
        assertEquals(HttpStatus.NOT_FOUND, again.getStatus());
        assertEquals("delete", journal.latest(1, e -> e.kind() == JournalEntry.Kind.CHANGE).getFirst().action());
    }

    private HttpResponse<ZoneSummary> patch(String name, String json) {
        return client().exchange(HttpRequest.PATCH("/dns/zones/" + name, json).contentType(MediaType.APPLICATION_JSON)
                .header("X-Isthmus-Operator", "zones-test"), ZoneSummary.class);
    }

    private ErrorResponse refusedPatch(String name, String json) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> patch(name, json));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus(), () -> e.getResponse().getBody(String.class).orElse(""));
        return error(e);
    }

    @Test
    void patchChangesRecordsThatQueriesSeeAndJournalsThePatchAsApplied() {
        put("patched.test", ZoneServiceTest.zone("patched.test", 10));
        put("patched.test", ZoneServiceTest.zone("patched.test", 10) + "old  IN AAAA 2001:db8::1\nx    IN A 1.2.3.4\nx IN A 1.2.3.5\n");
        assertEquals(0, EngineProbe.ask(catalog, "old.patched.test", 28).rcode());

        HttpResponse<ZoneSummary> patched = patch("patched.test", """
                [{"op":"add","name":"www","type":"A","ttl":300,"data":"198.18.0.9"},
                 {"op":"remove","name":"old","type":"AAAA"},
                 {"op":"remove","name":"x.patched.test.","type":"A","data":"1.2.3.4"},
                 {"op":"add","name":"new","type":"AAAA","ttl":"1h","data":"2001:db8::9"}]""");
        assertEquals(HttpStatus.OK, patched.getStatus());
        assertEquals(11, patched.body().serial(), "RFC 2136 §3.6: incremented");
        assertEquals("rest", patched.body().source());
        assertEquals(11, catalog.zones().get(DnsName.of("patched.test")).serial());

        assertEquals(new EngineProbe.Answer(0, 2, true), EngineProbe.ask(catalog, "www.patched.test", 1));
        assertEquals(3, EngineProbe.ask(catalog, "old.patched.test", 28).rcode(), "NXDOMAIN: the name is gone");
        assertEquals(new EngineProbe.Answer(0, 1, true), EngineProbe.ask(catalog, "x.patched.test", 1));
        assertEquals(new EngineProbe.Answer(0, 1, true), EngineProbe.ask(catalog, "new.patched.test", 28));

        JournalEntry change = journal.latest(1, e -> e.kind() == JournalEntry.Kind.CHANGE).getFirst();
        assertEquals("dns.zone/patched.test", change.subject());
        assertEquals("patch", change.action());
        assertEquals("rest 127.0.0.1 (zones-test)", change.actor());
        assertEquals("{\"changes\":[{\"op\":\"add\",\"name\":\"www.patched.test.\",\"type\":\"A\",\"ttl\":\"300\",\"data\":\"198.18.0.9\"},"
                + "{\"op\":\"remove\",\"name\":\"old.patched.test.\",\"type\":\"AAAA\"},"
                + "{\"op\":\"remove\",\"name\":\"x.patched.test.\",\"type\":\"A\",\"data\":\"1.2.3.4\"},"
                + "{\"op\":\"add\",\"name\":\"new.patched.test.\",\"type\":\"AAAA\",\"ttl\":\"3600\",\"data\":\"2001:db8::9\"}],"
                + "\"serial\":11}", change.value());
        assertEquals("serial 11", journal.latest(1, e -> e.action().equals("swapped")).getFirst().value());

        String text = client().retrieve(HttpRequest.GET("/dns/zones/patched.test").accept("text/dns"), String.class);
        assertTrue(text.contains("www.patched.test. 300 IN A 198.18.0.9\n"), text);
        assertTrue(text.contains("patched.test. 300 IN SOA ns1.patched.test. hostmaster.patched.test. 11 "), text);
        assertTrue(!text.contains("old.patched.test."), text);
    }

    @Test
    void patchWithSerialRulesInAnObject() {
        put("serial.test", ZoneServiceTest.zone("serial.test", 10));
        assertEquals(10, patch("serial.test", """
                {"changes":[{"op":"add","name":"a","type":"TXT","ttl":60,"data":"\\"x y\\""}],"serial":"keep"}""").body().serial());
        assertEquals(77, patch("serial.test", """
                {"changes":[],"serial":77}""").body().serial());
        assertEquals(78, patch("serial.test", """
                {"changes":[]}""").body().serial());
    }

    @Test
    void badPatchIs400NamingEachChangeAndFieldAndChangesNothing() {
        put("steady.test", ZoneServiceTest.zone("steady.test", 5));
        CatalogSnapshot generation = catalog.snapshot();
        long lastIndex = journal.latest(1, e -> true).getFirst().index();

        ErrorResponse body = refusedPatch("steady.test", """
                {"changes":[{"op":"add","name":"ok","type":"A","ttl":300,"data":"198.18.0.9"},
                            {"op":"add","name":"www","type":"A","ttl":300,"data":"198.18.0.300"},
                            {"op":"add","name":"y","type":"A","ttl":300,"data":"1.2.3"}]}""");
        assertEquals("patch of zone steady.test rejected, nothing changed", body.message());
        assertEquals(List.of("changes[1].data: A: bad IPv4 address '198.18.0.300'", "changes[2].data: A: bad IPv4 address '1.2.3'"),
                body.problems());

        assertEquals(List.of("changes[0]: CNAME and other data at www.steady.test. (RFC 2181 §10.1)"), refusedPatch("steady.test", """
                [{"op":"add","name":"www","type":"CNAME","ttl":300,"data":"elsewhere.test."}]""").problems());
        assertEquals(List.of("changes[0].data: x.steady.test. has no A record '1.2.3.4'"), refusedPatch("steady.test", """
                [{"op":"remove","name":"x","type":"A","data":"1.2.3.4"}]""").problems());

        assertSame(generation, catalog.snapshot());
        assertEquals(5, client().retrieve(HttpRequest.GET("/dns/zones/steady.test"), ZoneDetail.class).zone().serial());
        assertEquals(3, EngineProbe.ask(catalog, "ok.steady.test", 1).rcode(), "the good change before the bad one did not apply");
        assertEquals(lastIndex, journal.latest(1, x -> true).getFirst().index());
    }

    @Test
    void patchWithUnknownFieldsOrBadShapeIs400() {
        CatalogSnapshot generation = catalog.snapshot();
        assertEquals(List.of("changes[0].dat: unknown field (a change has op, name, type, ttl, data)"), refusedPatch("isthmus.test", """
                [{"op":"add","name":"www","type":"A","ttl":300,"dat":"198.18.0.9"}]""").problems().subList(0, 1));
        assertEquals(List.of("serials: unknown field (a patch has changes and serial)"), refusedPatch("isthmus.test", """
                {"changes":[],"serials":"keep"}""").problems());
        assertEquals(List.of("changes[0].op: add or remove, not 'delete'", "changes[0].ttl: a whole number of seconds or a string like \"1h\", not 1.5"),
                refusedPatch("isthmus.test", """
                [{"op":"delete","name":"www","type":"A","ttl":1.5}]""").problems());
        assertEquals(List.of("serial: \"increment\", \"keep\" or a number 0 to 4294967295, not \"up\""), refusedPatch("isthmus.test", """
                {"changes":[],"serial":"up"}""").problems());
        assertTrue(refusedPatch("isthmus.test", "{not json").problems().getFirst().startsWith("body: not JSON: "));
        HttpClientResponseException text = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PATCH("/dns/zones/isthmus.test", "www IN A 1.2.3.4").contentType(MediaType.TEXT_PLAIN)));
        assertEquals(HttpStatus.UNSUPPORTED_MEDIA_TYPE, text.getStatus());
        HttpClientResponseException absent = assertThrows(HttpClientResponseException.class, () -> patch("absent.test", "[]"));
        assertEquals(HttpStatus.NOT_FOUND, absent.getStatus());
        assertSame(generation, catalog.snapshot());
    }

    @Test
    void aSecondaryZoneOverRest() throws Exception {
        // A primary nobody answers at: the zone is defined and journalled, and each refresh reports why it failed.
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String body = "{\"primaries\": [\"127.0.0.1@" + closed + "\"], \"key\": \"xfr\"}";
        HttpResponse<SecondaryStatus> created = client().exchange(HttpRequest.PUT("/dns/zones/second.test", body)
                .contentType(MediaType.APPLICATION_JSON), SecondaryStatus.class);
        assertEquals(HttpStatus.CREATED, created.getStatus());
        assertEquals("secondary", created.body().kind());
        assertEquals(List.of("127.0.0.1@" + closed), created.body().primaries());
        JournalEntry change = journal.latest(5, e -> e.kind() == JournalEntry.Kind.CHANGE).getLast();
        assertEquals("dns.zone/second.test", change.subject());
        assertEquals(ZoneService.SECONDARY, change.action());

        SecondaryStatus refreshed = client().retrieve(HttpRequest.POST("/dns/zones/second.test/refresh", ""),
                SecondaryStatus.class);
        assertTrue(refreshed.lastError() != null && refreshed.lastError().contains("127.0.0.1@" + closed),
                String.valueOf(refreshed.lastError()));
        assertEquals(-1, refreshed.serial());
        assertTrue(refreshed.nextRefresh() != null && refreshed.lastRefresh() != null);
        String json = client().retrieve(HttpRequest.GET("/dns/zones/second.test"), String.class);
        assertTrue(json.contains("\"kind\":\"secondary\"") && json.contains("\"lastError\""), json);

        HttpClientResponseException badKey = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/zones/second.test", "{\"primaries\": [\"198.18.0.1\"], \"key\": \"nope\"}")
                        .contentType(MediaType.APPLICATION_JSON)));
        assertEquals(HttpStatus.BAD_REQUEST, badKey.getStatus());
        assertEquals(List.of("key: no dns.tsig-keys entry named 'nope'"), error(badKey).problems());
        HttpClientResponseException badPrimary = assertThrows(HttpClientResponseException.class, () -> client()
                .exchange(HttpRequest.PUT("/dns/zones/second.test", "{\"primaries\": [\"primary.example\"]}")
                        .contentType(MediaType.APPLICATION_JSON)));
        assertTrue(error(badPrimary).problems().getFirst().startsWith("primaries[0]: "),
                error(badPrimary).problems()::toString);

        HttpClientResponseException patch = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PATCH("/dns/zones/second.test", "[]").contentType(MediaType.APPLICATION_JSON)));
        assertEquals(HttpStatus.CONFLICT, patch.getStatus());

        assertEquals(HttpStatus.NO_CONTENT, client().exchange(HttpRequest.DELETE("/dns/zones/second.test"))
                .getStatus());
        HttpClientResponseException gone = assertThrows(HttpClientResponseException.class,
                () -> client().retrieve(HttpRequest.GET("/dns/zones/second.test"), String.class));
        assertEquals(HttpStatus.NOT_FOUND, gone.getStatus());
        HttpClientResponseException notSecondary = assertThrows(HttpClientResponseException.class,
                () -> client().retrieve(HttpRequest.POST("/dns/zones/isthmus.test/refresh", ""), String.class));
        assertEquals(HttpStatus.NOT_FOUND, notSecondary.getStatus());
    }
}
