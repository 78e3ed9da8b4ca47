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
}
