package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.error.ErrorResponse;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.control.testing.ControlPlaneTest;
import dev.isthmus.dns.wire.Header;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Transfer policies from the configuration and over REST, journalled; every zone change — configured at start, a
 * PUT, a PATCH — sends NOTIFY (to a stand-in secondary that answers NOERROR) and, with a greater serial, becomes
 * one step of the zone's IXFR history.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferControllerTest extends ControlPlaneTest {

    /** A secondary's NOTIFY port: records each NOTIFY's (zone, serial) and answers NOERROR (RFC 1996 §4.7). */
    private final DatagramSocket secondary = openSecondary();
    private final BlockingQueue<String> notified = new LinkedBlockingQueue<>();

    private DatagramSocket openSecondary() {
        try {
            DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                while (!s.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        Message m = MessageReader.read(buf, 0, p.getLength());
                        long serial = m.answers().isEmpty() ? -1 : serial(m.answers().getFirst().rdata());
                        notified.add(m.opcode() + " " + m.questions().getFirst().name() + " "
                                + RecordType.name(m.questions().getFirst().type()) + " " + serial);
                        byte[] ok = new MessageWriter(m.id(), Header.FLAG_QR | (m.opcode() << Header.OPCODE_SHIFT))
                                .question(m.questions().getFirst().name(), RecordType.SOA, 1).toByteArray();
                        s.send(new DatagramPacket(ok, ok.length, p.getSocketAddress()));
                    } catch (Exception e) {
                        if (!s.isClosed()) {
                            notified.add("error " + e);
                        }
                    }
                }
            });
            return s;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long serial(byte[] soa) {
        int p = 0;
        for (int names = 0; names < 2; names++) {
            while (soa[p] != 0) {
                p += 1 + (soa[p] & 0xFF);
            }
            p++;
        }
        return ((soa[p] & 0xFFL) << 24) | ((soa[p + 1] & 0xFFL) << 16) | ((soa[p + 2] & 0xFFL) << 8) | (soa[p + 3] & 0xFFL);
    }

    @Override
    protected String configuration() {
        return """
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                dns:
                  zones:
                    - origin: isthmus.test
                      file: "classpath:zones/isthmus-test.zone"
                      allow-transfer: [198.18.0.0/24]
                      notify: ["127.0.0.1@%d"]
                """.formatted(secondary.getLocalPort());
    }

    @AfterAll
    void closeSecondary() {
        secondary.close();
    }

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Journal journal;

    private BlockingHttpClient client() {
        return http.toBlocking();
    }

    private TransferView transfer() {
        return client().retrieve(HttpRequest.GET("/dns/zones/isthmus.test/transfer"), TransferView.class);
    }

    private String nextNotify() throws InterruptedException {
        String n = notified.poll(30, TimeUnit.SECONDS);
        return n == null ? "no NOTIFY within 30 s" : n;
    }

    @Test
    @Order(1)
    void theConfiguredPolicyIsShownAndTheConfiguredZoneNotified() throws Exception {
        TransferView v = transfer();
        assertEquals(List.of("198.18.0.0/24"), v.allowTransfer());
        assertEquals(List.of("127.0.0.1@" + secondary.getLocalPort()), v.notifyTargets());
        assertEquals("config", v.source());
        assertEquals(0, v.historyVersions());
        assertEquals("4 isthmus.test. SOA 1", nextNotify(), "RFC 1996: opcode NOTIFY, the zone's SOA, serial 1");
    }

    @Test
    @Order(2)
    void aPutAndAPatchAreNotifiedAndKeptAsIxfrSteps() throws Exception {
        String v2 = ZoneServiceTest.zone("isthmus.test", 2);
        client().exchange(HttpRequest.PUT("/dns/zones/isthmus.test", v2).contentType(MediaType.TEXT_PLAIN));
        assertEquals("4 isthmus.test. SOA 2", nextNotify());
        client().exchange(HttpRequest.PATCH("/dns/zones/isthmus.test",
                "[{\"op\":\"add\",\"name\":\"new\",\"type\":\"A\",\"ttl\":300,\"data\":\"198.18.0.9\"}]")
                .contentType(MediaType.APPLICATION_JSON));
        assertEquals("4 isthmus.test. SOA 3", nextNotify());
        TransferView v = transfer();
        assertEquals(2, v.historyVersions());
        assertEquals(1, v.oldestSerial());
        // The same serial again: a secondary could not tell the versions apart, so the history is forgotten.
        client().exchange(HttpRequest.PUT("/dns/zones/isthmus.test", ZoneServiceTest.zone("isthmus.test", 3))
                .contentType(MediaType.TEXT_PLAIN));
        assertEquals("4 isthmus.test. SOA 3", nextNotify());
        assertEquals(0, transfer().historyVersions());
        Map<String, Long> counters = client().retrieve(HttpRequest.GET("/dns/transfers"),
                Argument.mapOf(String.class, Long.class));
        assertTrue(counters.get("notify_answered") >= 4, counters.toString());
        String scrape = client().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(scrape.contains("isthmus_dns_notify_total{outcome=\"answered\"}"), scrape);
        assertTrue(scrape.contains("isthmus_dns_transfers_total{outcome=\"refused\"}"), scrape);
    }

    @Test
    @Order(3)
    void badPoliciesAre400NamingEachField() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/zones/isthmus.test/transfer",
                        "{\"allowTransfer\": [\"198.18.0.0/40\"], \"notify\": [\"x@1\"], \"also\": 1, \"key\": 5}")
                        .contentType(MediaType.APPLICATION_JSON)));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
        ErrorResponse body = e.getResponse().getBody(ErrorResponse.class).orElseThrow();
        String all = String.join("\n", body.problems());
        for (String field : List.of("allowTransfer[0]: ", "notify[0]: ", "also: unknown field", "key: ")) {
            assertTrue(all.contains(field), field + " in " + all);
        }
        HttpClientResponseException noKey = assertThrows(HttpClientResponseException.class, () -> client().exchange(
                HttpRequest.PUT("/dns/zones/isthmus.test/transfer", "{\"key\": \"absent.key\"}")
                        .contentType(MediaType.APPLICATION_JSON)));
        assertEquals(List.of("key: no TSIG key 'absent.key' in dns.tsig-keys"),
                noKey.getResponse().getBody(ErrorResponse.class).orElseThrow().problems());
        assertEquals("config", transfer().source(), "nothing changed");
    }

    @Test
    @Order(4)
    void aRestPolicyIsJournalledAndDeletingItRestoresTheConfiguredOne() throws Exception {
        TransferView v = client().retrieve(HttpRequest.PUT("/dns/zones/isthmus.test/transfer",
                "{\"allow-transfer\": [\"2001:db8::/32\"], \"notify\": [\"127.0.0.1@" + secondary.getLocalPort()
                        + "\"]}").contentType(MediaType.APPLICATION_JSON), TransferView.class);
        assertEquals("rest", v.source());
        assertEquals(List.of("2001:db8:0:0:0:0:0:0/32"), v.allowTransfer());
        assertEquals("4 isthmus.test. SOA 3", nextNotify(), "a new policy notifies its targets at once");
        JournalEntry change = journal.latest(1, x -> x.kind() == JournalEntry.Kind.CHANGE).getFirst();
        assertEquals("dns.transfer/isthmus.test", change.subject());
        assertEquals("put", change.action());
        assertEquals("{\"allowTransfer\":[\"2001:db8:0:0:0:0:0:0/32\"],\"notify\":[\"127.0.0.1@"
                + secondary.getLocalPort() + "\"],\"key\":null}", change.value());
        TransferView back = client().retrieve(HttpRequest.DELETE("/dns/zones/isthmus.test/transfer"),
                TransferView.class);
        assertEquals("config", back.source());
        assertEquals(List.of("198.18.0.0/24"), back.allowTransfer());
    }
}
