package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.status.HealthReport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the appliance-over-TAP tests ask of a running appliance's REST API and of dnsperf's report. */
final class ApplianceHttp {

    private ApplianceHttp() {
    }

    /** PUTs a zone's text; it must be accepted (200 or 201). */
    static void putZone(HttpClient http, String name, String text) {
        HttpResponse<?> response = http.toBlocking().exchange(HttpRequest.PUT("/dns/zones/" + name, text)
                .contentType(MediaType.TEXT_PLAIN));
        assertTrue(response.getStatus() == HttpStatus.OK || response.getStatus() == HttpStatus.CREATED);
    }

    /** The first group of {@code regex} in {@code text} as a number; fails naming the text when absent. */
    static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no '" + regex + "' in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** The link comes up once the kernel side is up; waits for /health's 200 a bounded number of times. */
    static HealthReport awaitHealthy(HttpClient http) throws InterruptedException {
        HealthReport last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpResponse<HealthReport> response = http.toBlocking().exchange(HttpRequest.GET("/health"),
                        HealthReport.class);
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
}
