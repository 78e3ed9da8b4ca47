package dev.isthmus.dns.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded per-zone history: steps from replaced zones and record changes, serial rules, bounds. */
class ZoneHistoryTest {
    static final DnsName ORIGIN = DnsName.of("example.test");

    @Test
    void serialArithmeticFollowsRfc1982() {
        assertTrue(Serial.greater(2, 1));
        assertFalse(Serial.greater(1, 2));
        assertTrue(Serial.greater(0, 0xFFFF_FFFFL), "wraps around");
        assertTrue(Serial.greater(100, 0xFFFF_FF00L));
        assertFalse(Serial.greater(0x8000_0000L, 0), "exactly half way: undefined, not greater");
        assertFalse(Serial.greater(0, 0x8000_0000L));
        assertTrue(Serial.atLeast(5, 5));
    }

    private static ZoneTransfers primary(ZoneCatalog catalog, ZoneHistory history) {
        TransferCounters counters = new TransferCounters();
        ZoneTransfers t = new ZoneTransfers(catalog, history,
            new Notifier(java.net.DatagramSocket::new, java.time.Duration.ofMillis(10), 1, counters), counters);
        t.policies(TransferPolicies.NONE.with(ORIGIN, new TransferPolicy(List.of(AddressPrefix.parse("127.0.0.1")),
            List.of(), null)));
        return t;
    }

    @Test
    void aReplacedZoneWithAGreaterSerialBecomesOneStep() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        ZoneHistory history = new ZoneHistory();
        primary(catalog, history);
        catalog.replace("example.test", TransferTestSupport.zone(1));
        assertEquals(0, history.versions(ORIGIN), "a new zone has no history");
        catalog.replace("example.test", TransferTestSupport.zone(2, "new A 198.18.0.9")
            .replace("www A 198.18.0.80", "www A 198.18.0.81").replace("mx A 198.18.0.25", "mx 60 A 198.18.0.25"));
        List<ZoneDiff> steps = history.since(ORIGIN, 1);
        assertEquals(1, steps.size());
        ZoneDiff d = steps.get(0);
        assertEquals(1, d.fromSerial());
        assertEquals(2, d.toSerial());
        assertEquals(List.of("mx.example.test. 3600 A c6120019", "www.example.test. 3600 A c6120050"),
            d.deleted().stream().map(TransferTestSupport::text).sorted().toList());
        assertEquals(List.of("mx.example.test. 60 A c6120019", "new.example.test. 3600 A c6120009",
                "www.example.test. 3600 A c6120051"),
            d.added().stream().map(TransferTestSupport::text).sorted().toList(), "a TTL change is delete + add");
        assertNull(history.since(ORIGIN, 2), "the newest version has no step after it");
    }

    @Test
    void aChangeThatKeepsOrLowersTheSerialForgetsTheHistory() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        ZoneHistory history = new ZoneHistory();
        primary(catalog, history);
        catalog.replace("example.test", TransferTestSupport.zone(1));
        catalog.replace("example.test", TransferTestSupport.zone(2, "a A 198.18.0.1"));
        assertEquals(1, history.versions(ORIGIN));
        catalog.replace("example.test", TransferTestSupport.zone(2, "b A 198.18.0.1"));
        assertEquals(0, history.versions(ORIGIN));
        catalog.replace("example.test", TransferTestSupport.zone(3, "c A 198.18.0.1"));
        catalog.replace("example.test", TransferTestSupport.zone(1));
        assertEquals(0, history.versions(ORIGIN));
    }

    @Test
    void recordChangesThroughApplyAreTheStepAsGiven() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        ZoneHistory history = new ZoneHistory();
        primary(catalog, history);
        catalog.replace("example.test", TransferTestSupport.zone(10));
        ResourceRecord oldSoa = ZoneHistory.soa(catalog.zones().get(ORIGIN).apexRecordList());
        ResourceRecord newSoa = soaWithSerial(oldSoa, 11);
        ResourceRecord added = new ResourceRecord(DnsName.of("x.example.test"), RecordType.A, 1, 300,
            new byte[] {(byte) 198, 18, 0, 99});
        catalog.apply("example.test", List.of(oldSoa), List.of(newSoa, added));
        ZoneDiff d = history.since(ORIGIN, 10).get(0);
        assertEquals(11, d.toSerial());
        assertEquals(List.of(added), d.added());
        assertEquals(List.of(), d.deleted());
    }

    @Test
    void boundsDropTheOldestSteps() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        ZoneHistory history = new ZoneHistory(3, 1000);
        primary(catalog, history);
        for (int s = 1; s <= 6; s++) {
            catalog.replace("example.test", TransferTestSupport.zone(s, "v" + s + " A 198.18.0." + s));
        }
        assertEquals(3, history.versions(ORIGIN));
        assertEquals(3, history.oldestSerial(ORIGIN));
        assertNull(history.since(ORIGIN, 2), "older than the history: the whole zone instead");
        assertEquals(3, history.since(ORIGIN, 3).size());
        ZoneHistory small = new ZoneHistory(100, 9);
        small.add(ORIGIN, step(1, 2, 2));
        small.add(ORIGIN, step(2, 3, 2));
        assertEquals(2, small.versions(ORIGIN));
        small.add(ORIGIN, step(3, 4, 2));
        assertEquals(2, small.versions(ORIGIN), "at most 9 records: 4 + 4, a third step pushes out the first");
        small.add(ORIGIN, step(4, 5, 20));
        assertEquals(0, small.versions(ORIGIN), "a step larger than the bound empties the history");
        small.add(ORIGIN, step(9, 10, 1));
        small.add(ORIGIN, step(11, 12, 1));
        assertEquals(1, small.versions(ORIGIN), "a gap in the chain forgets what came before");
    }

    @Test
    void aZoneWithoutPolicyKeepsNoHistory() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        ZoneHistory history = new ZoneHistory();
        ZoneTransfers t = primary(catalog, history);
        t.policies(TransferPolicies.NONE);
        catalog.replace("example.test", TransferTestSupport.zone(1));
        catalog.replace("example.test", TransferTestSupport.zone(2, "a A 198.18.0.1"));
        assertEquals(0, history.versions(ORIGIN));
    }

    private static ZoneDiff step(long from, long to, int added) {
        ResourceRecord soa = soaWithSerial(new ResourceRecord(ORIGIN, RecordType.SOA, 1, 300,
            soaRdata()), from);
        List<ResourceRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < added; i++) {
            records.add(new ResourceRecord(DnsName.of("h" + i + ".example.test"), RecordType.A, 1, 300,
                new byte[] {1, 2, 3, (byte) i}));
        }
        return new ZoneDiff(soa, soaWithSerial(soa, to), List.of(), records);
    }

    private static byte[] soaRdata() {
        byte[] r = new byte[2 + 20];
        return r; // root MNAME and RNAME, then the five numbers
    }

    static ResourceRecord soaWithSerial(ResourceRecord soa, long serial) {
        byte[] r = soa.rdata().clone();
        int p = 0;
        for (int names = 0; names < 2; names++) {
            while (r[p] != 0) {
                p += 1 + (r[p] & 0xFF);
            }
            p++;
        }
        r[p] = (byte) (serial >>> 24);
        r[p + 1] = (byte) (serial >>> 16);
        r[p + 2] = (byte) (serial >>> 8);
        r[p + 3] = (byte) serial;
        return new ResourceRecord(soa.owner(), soa.type(), soa.rrClass(), soa.ttl(), r);
    }
}
