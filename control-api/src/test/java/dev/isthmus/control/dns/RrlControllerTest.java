package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.ControlPlaneTest;
import dev.isthmus.dns.rrl.RrlControl;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
class RrlControllerTest extends ControlPlaneTest {

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                dns:
                  rrl:
                    responses-per-second: 5
                    exempt: [198.18.0.0/30]
                """;
    }

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    RrlControl control;

    @Inject
    Journal journal;

    private BlockingHttpClient client() {
        return http.toBlocking();
    }

    @Test
    void getAnswersTheConfiguredSettingsAndPutReplacesThemJournalled() {
        RrlView configured = client().retrieve(HttpRequest.GET("/dns/rrl"), RrlView.class);
        assertEquals(new RrlView(5, 2, 15, 24, 56, List.of("198.18.0.0/30")), configured);

        RrlView after = client().retrieve(HttpRequest.PUT("/dns/rrl",
                Map.of("responsesPerSecond", 20, "slip", 3, "exempt", List.of("2001:db8::/48"))), RrlView.class);
        assertEquals(new RrlView(20, 3, 15, 24, 56, List.of("2001:db8::/48")), after);
        assertEquals(20, control.policy().settings().responsesPerSecond(), "published to the lcores");
        JournalEntry entry = journal.latest(1, e -> e.subject().equals(RrlService.SUBJECT)).getFirst();
        assertEquals("put", entry.action());
        assertTrue(entry.value().contains("\"responsesPerSecond\":20"), entry.value());
    }

    @Test
    void badFieldsAre400NamingEachAndChangeNothing() {
        RrlView before = client().retrieve(HttpRequest.GET("/dns/rrl"), RrlView.class);
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/rrl", Map.of("responsesPerSecond", -1, "windowSeconds", 0,
                        "exempt", List.of("nonsense"), "slipp", 2)), RrlView.class));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        ErrorResponse body = e.getResponse().getBody(ErrorResponse.class).orElseThrow();
        assertEquals(1, body.problems().size(), "the unknown field first: " + body.problems());
        assertTrue(body.problems().getFirst().startsWith("slipp: unknown field"), body.problems().toString());

        e = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/rrl", Map.of("responsesPerSecond", -1, "windowSeconds", 0,
                        "exempt", List.of("nonsense"))), RrlView.class));
        body = e.getResponse().getBody(ErrorResponse.class).orElseThrow();
        String all = String.join("\n", body.problems());
        for (String field : List.of("responsesPerSecond:", "windowSeconds:", "exempt[0]:")) {
            assertTrue(all.contains(field), field + " in " + all);
        }
        assertEquals(before, client().retrieve(HttpRequest.GET("/dns/rrl"), RrlView.class));
    }
}
