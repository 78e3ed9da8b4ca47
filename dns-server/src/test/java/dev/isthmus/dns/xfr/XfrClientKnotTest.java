package dev.isthmus.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer client against Knot as a TSIG-requiring primary on loopback: SOA, AXFR, IXFR, wrong keys. */
class XfrClientKnotTest {
    static final String SECRET = "UmbsfheALU4GWrglebepS6IgbzsHs4M3W2Eh0FsoFJk=";
    static final TsigKey KEY = TsigKey.parse("xfr", "hmac-sha256", SECRET);
    static final DnsName ZONE = DnsName.of("example.org");
    static final String ZONE_TEXT = """
            $ORIGIN example.org.
            $TTL 3600
            @ SOA ns1 hostmaster 1 3600 600 86400 300
            @ NS ns1
            ns1 A 198.18.0.1
            www A 198.18.0.10
            """;

    @TempDir
    Path dir;
    private KnotPrimary knot;
    private Primary primary;
    private final XfrClient client = new XfrClient(XfrClient.Dialer.PLAIN, TransferLimits.DEFAULT,
            () -> System.currentTimeMillis() / 1000);

    @BeforeEach
    void start() throws Exception {
        int port = KnotPrimary.freePort();
        knot = new KnotPrimary(dir, "127.0.0.1@" + port, "example.org", ZONE_TEXT, "xfr", SECRET, null);
        primary = Primary.parse("127.0.0.1@" + port);
    }

    @AfterEach
    void stop() throws Exception {
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    void soaThenAxfrThenIxfrOfAChange() throws Exception {
        assertEquals(1, client.querySoa(primary, ZONE, KEY).serial());
        Transfer.Full axfr = assertInstanceOf(Transfer.Full.class, client.transfer(primary, ZONE, null, KEY));
        assertEquals(1, axfr.serial());
        assertEquals(4, axfr.records().size(), axfr.records().toString());
        Zone zone = zone(axfr.records());
        assertEquals(1, zone.serial());

        knot.change("new 300 A 198.18.0.20", "www 3600 A 198.18.0.11");
        knot.remove("www A 198.18.0.10");
        assertEquals(3, client.querySoa(primary, ZONE, KEY).serial());

        ResourceRecord soa = zone.soa();
        Transfer.Incremental ixfr = assertInstanceOf(Transfer.Incremental.class,
                client.transfer(primary, ZONE, soa, KEY));
        assertEquals(1, ixfr.fromSerial());
        assertEquals(3, ixfr.serial());
        assertEquals(2, ixfr.steps());
        // Net: old SOA and www's first address out; new SOA, new's and www's second address in.
        assertEquals(2, ixfr.deletions().size(), ixfr.deletions().toString());
        assertEquals(3, ixfr.additions().size(), ixfr.additions().toString());
        assertTrue(ixfr.additions().stream().anyMatch(r -> r.owner().equals(DnsName.of("new.example.org"))));

        Transfer again = client.transfer(primary, ZONE, soaOf(ixfr.additions()), KEY);
        assertInstanceOf(Transfer.UpToDate.class, again);
        assertEquals(3, again.serial());

        Transfer.Full full = assertInstanceOf(Transfer.Full.class, client.axfr(primary, ZONE, 1, KEY));
        assertEquals(3, zone(full.records()).serial());
    }

    @Test
    void wrongKeyOrNoKeyIsRefused() throws Exception {
        TsigKey wrongSecret = TsigKey.parse("xfr", "hmac-sha256", "c2VjcmV0c2VjcmV0c2VjcmV0");
        TransferException e = assertThrows(TransferException.class, () -> client.transfer(primary, ZONE, null,
                wrongSecret));
        assertTrue(e.getMessage().contains("TSIG") || e.getMessage().contains("NOTAUTH"), e.getMessage());
        TsigKey unknown = TsigKey.parse("other", "hmac-sha256", SECRET);
        e = assertThrows(TransferException.class, () -> client.transfer(primary, ZONE, null, unknown));
        assertTrue(e.getMessage().contains("TSIG") || e.getMessage().contains("NOTAUTH"), e.getMessage());
        e = assertThrows(TransferException.class, () -> client.transfer(primary, ZONE, null, null));
        assertTrue(e.getMessage().contains("REFUSED") || e.getMessage().contains("NOTAUTH"), e.getMessage());
    }

    static ResourceRecord soaOf(List<ResourceRecord> records) {
        return records.stream().filter(r -> r.type() == RecordType.SOA).findFirst().orElseThrow();
    }

    static Zone zone(List<ResourceRecord> records) throws Exception {
        List<ZoneError> sources = new ArrayList<>(Collections.nCopies(records.size(), new ZoneError("xfr", 0, "")));
        return Zone.of(ZONE, records, sources);
    }

}
