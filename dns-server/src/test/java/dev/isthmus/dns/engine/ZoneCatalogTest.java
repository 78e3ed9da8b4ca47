package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ResourceRecord;
import dev.isthmus.dns.zone.ZoneParseException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One zone changed at a time: the others' stores shared, their generations kept; record-level changes whole or not at all. */
class ZoneCatalogTest {
    EngineHarness h;

    @BeforeEach
    void setUp() throws ZoneParseException {
        h = new EngineHarness();
        h.catalog.replace("example.test", QueryEngineTest.ZONE);
        h.catalog.replace("example.net", QueryEngineTest.NET);
    }

    private static ResourceRecord a(String owner, int last) {
        return new ResourceRecord(DnsName.of(owner), RecordType.A, 1, 300, new byte[] {(byte) 198, 18, 0, (byte) last});
    }

    private int slotOf(String origin) {
        h.ask("www." + origin, RecordType.A);
        return h.engine.lastZoneSlot();
    }

    @Test
    void replacingOneZoneSharesTheOthersStoreAndGeneration() throws Exception {
        CatalogSnapshot before = h.catalog.snapshot();
        int net = slotOf("example.net");
        int test = slotOf("example.test");
        assertNotEquals(net, test);
        h.catalog.replace("example.test", QueryEngineTest.ZONE.replace("192.0.2.80", "192.0.2.81"));
        CatalogSnapshot after = h.catalog.snapshot();
        assertSame(before.zones().get(DnsName.of("example.net")), after.zones().get(DnsName.of("example.net")));
        assertEquals(before.generation(net), after.generation(net), "example.net's cached answers stay valid");
        assertNotEquals(before.generation(test), after.generation(test));
        assertNotEquals(before.generation(CatalogSnapshot.CATALOG_SLOT), after.generation(CatalogSnapshot.CATALOG_SLOT));
    }

    @Test
    void applyRenewsTheChangedZonesGenerationOnly() throws Exception {
        int net = slotOf("example.net");
        int test = slotOf("example.test");
        CatalogSnapshot before = h.catalog.snapshot();
        h.catalog.apply("example.test", List.of(), List.of(a("added.example.test", 5)));
        CatalogSnapshot after = h.catalog.snapshot();
        assertEquals(before.generation(net), after.generation(net), "example.net's cached answers stay valid");
        assertNotEquals(before.generation(test), after.generation(test));
        assertSame(before.zones().get(DnsName.of("example.net")), after.zones().get(DnsName.of("example.net")));
        assertEquals(Rcode.NOERROR, h.ask("added.example.test", RecordType.A).rcode());
    }

    @Test
    void aChangeIsJournalledBeforeItIsPublishedAndNotPublishedWhenTheCallbackRefuses() throws Exception {
        CatalogSnapshot before = h.catalog.snapshot();
        assertThrows(IllegalStateException.class, () -> h.catalog.apply("example.test", List.of(),
            List.of(a("added.example.test", 5)), version -> {
                assertSame(before, h.catalog.snapshot(), "not published yet");
                throw new IllegalStateException("journal full");
            }));
        assertSame(before, h.catalog.snapshot());
        assertEquals(Rcode.NXDOMAIN, h.ask("added.example.test", RecordType.A).rcode());
    }

    @Test
    void applyAddsAndDeletesRecords() throws Exception {
        CatalogSnapshot before = h.catalog.snapshot();
        ResourceRecord old = new ResourceRecord(DnsName.of("WWW.example.test"), RecordType.A, 1, 1,
            new byte[] {(byte) 192, 0, 2, 80});
        h.catalog.apply("example.test", List.of(old), List.of(a("www.example.test", 82),
            a("new.deep.example.test", 7)));
        Message www = h.ask("www.example.test", RecordType.A);
        assertEquals(1, www.answers().size());
        assertEquals("c6120052", java.util.HexFormat.of().formatHex(www.answers().get(0).rdata()));
        assertEquals(Rcode.NOERROR, h.ask("new.deep.example.test", RecordType.A).rcode());
        assertEquals(Rcode.NOERROR, h.ask("deep.example.test", RecordType.A).rcode(), "a new empty non-terminal");
        assertSame(before.zones().get(DnsName.of("example.net")), h.catalog.zones().get(DnsName.of("example.net")));
    }

    @Test
    void theFastPathAnswersAsTheWholeZonePathDoes() throws Exception {
        StoredZone old = h.catalog.zones().get(DnsName.of("example.test"));
        List<ResourceRecord> deletions = List.of(new ResourceRecord(DnsName.of("www.example.test"), RecordType.A, 1, 1,
            new byte[] {(byte) 192, 0, 2, 80}));
        List<ResourceRecord> additions = List.of(a("www.example.test", 82), a("Zed.Deep.New.example.test", 7),
            a("ns.child.example.test", 9), a("aaa.example.test", 1), a("zzz.example.test", 2),
            new ResourceRecord(DnsName.of("mail.example.test"), RecordType.TXT, 1, 60, new byte[] {2, 'h', 'i'}),
            new ResourceRecord(DnsName.of("sub.child.example.test"), RecordType.NS, 1, 60,
                DnsName.of("ns.example.net").wire()));
        StoredZone fast = old.withChanges(deletions, additions);
        assertTrue(fast != null, "a change the fast path takes");
        List<ResourceRecord> records = new java.util.ArrayList<>(old.recordList());
        records.removeAll(deletions);
        records.addAll(additions);
        List<dev.isthmus.dns.zone.ZoneError> sources = java.util.Collections.nCopies(records.size(),
            new dev.isthmus.dns.zone.ZoneError("t", 1, ""));
        StoredZone slow = StoredZone.of(dev.isthmus.dns.zone.Zone.of(old.origin(), records, sources));
        assertEquals(slow.names(), fast.names());
        assertEquals(slow.records(), fast.records());
        assertEquals(slow.recordList().toString(), fast.recordList().toString());

        EngineHarness other = new EngineHarness();
        other.catalog.put(slow);
        other.catalog.replace("example.net", QueryEngineTest.NET);
        h.catalog.put(fast);
        int compared = 0;
        for (ResourceRecord r : slow.recordList()) {
            for (String name : List.of(r.owner().toString(), "x." + r.owner(), "ZZ.y." + r.owner())) {
                for (int type : new int[] {RecordType.A, RecordType.NS, RecordType.TXT, RecordType.ANY, RecordType.MX,
                    RecordType.DS, RecordType.CNAME}) {
                    byte[] q = EngineHarness.query(name, type, true, true, 4096);
                    assertEquals(java.util.HexFormat.of().formatHex(other.raw(q, 1232)),
                        java.util.HexFormat.of().formatHex(h.raw(q, 1232)), name + " " + type);
                    compared++;
                }
            }
        }
        assertTrue(compared > 500);
        assertEquals(Rcode.NOERROR, h.ask("deep.new.example.test", RecordType.A).rcode(), "an empty non-terminal");
    }

    @Test
    void aRefusedChangeChangesNothing() throws Exception {
        CatalogSnapshot before = h.catalog.snapshot();
        ZoneParseException missing = assertThrows(ZoneParseException.class,
            () -> h.catalog.apply("example.test", List.of(a("nowhere.example.test", 1)), List.of()));
        assertEquals("change", missing.errors().get(0).file());
        assertEquals(1, missing.errors().get(0).line());
        ResourceRecord cname = new ResourceRecord(DnsName.of("www.example.test"), RecordType.CNAME, 1, 300,
            DnsName.of("ftp.example.test").wire());
        ZoneParseException broken = assertThrows(ZoneParseException.class,
            () -> h.catalog.apply("example.test", List.of(), List.of(cname)));
        assertTrue(broken.getMessage().contains("CNAME and other data"), broken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.catalog.apply("nope.test", List.of(), List.of()));
        assertSame(before, h.catalog.snapshot());
    }

    @Test
    void anExpiredZoneAnswersServfailUntilRefreshed() throws Exception {
        assertEquals(Rcode.NOERROR, h.ask("www.example.test", RecordType.A).rcode());
        long before = h.catalog.snapshot().generation(slotOf("example.test"));
        assertTrue(h.catalog.expire("example.test", true));
        Message expired = h.ask("www.example.test", RecordType.A);
        assertEquals(Rcode.SERVFAIL, expired.rcode(), "RFC 1035 §4.3.5: no longer authoritative");
        assertTrue(expired.answers().isEmpty());
        assertNotEquals(before, h.catalog.snapshot().generation(slotOf("example.test")), "cached answers dropped");
        assertEquals(Rcode.NOERROR, h.ask("www.example.net", RecordType.A).rcode(), "other zones unaffected");
        assertTrue(h.catalog.expire("example.test", false));
        assertEquals(Rcode.NOERROR, h.ask("www.example.test", RecordType.A).rcode());
        h.catalog.expire("example.test", true);
        h.catalog.replace("example.test", QueryEngineTest.ZONE);
        assertEquals(Rcode.NOERROR, h.ask("www.example.test", RecordType.A).rcode(), "a new copy is fresh");
        assertEquals(false, h.catalog.expire("nothing.test", true));
    }
}
