package dev.isthmus.control.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.testing.ControlPlaneTest;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@MicronautTest
class JournalControllerTest extends ControlPlaneTest {

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                """;
    }

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Journal journal;



    private List<JournalEntry> get(String uri) {
        return client.toBlocking().retrieve(HttpRequest.GET(uri), Argument.listOf(JournalEntry.class));
    }

    @Test
    void readsBackTheNewestEntriesFilteredByKindAndSubject() {
        JournalEntry zone = journal.change("test", "dns.zone/a.test", "put", "zone a");
        journal.event("test", "journal-controller-test", "ping", "1");
        journal.change("test", "vswitch.bd/100", "put", "{}");

        List<JournalEntry> last = get("/journal?limit=2");
        assertEquals(List.of("journal-controller-test", "vswitch.bd/100"), last.stream().map(JournalEntry::subject).toList());

        assertEquals(List.of("journal-controller-test", "vswitch.bd/100"),
                get("/journal?after=" + zone.index()).stream().map(JournalEntry::subject).toList());

        List<JournalEntry> zones = get("/journal?kind=CHANGE&subject=dns.zone/");
        assertEquals("zone a", zones.getLast().value());
        assertEquals(JournalEntry.Kind.CHANGE, zones.getLast().kind());
    }

    @Test
    void limitOutOfRangeIs400WithTheReason() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> get("/journal?limit=0"));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        ErrorResponse body = e.getResponse().getBody(ErrorResponse.class).orElseThrow();
        assertEquals(List.of("limit: must be greater than or equal to 1"), body.problems());
    }

    @Test
    void unknownKindIs400() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> get("/journal?kind=GOSSIP"));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        assertTrue(e.getResponse().getBody(ErrorResponse.class).orElseThrow().message().contains("GOSSIP"));
    }

    @Test
    void unknownRouteIs404InTheSameForm() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> get("/no-such-thing"));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        assertEquals(404, e.getResponse().getBody(ErrorResponse.class).orElseThrow().status());
    }
}
