package dev.isthmus.dns.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ZoneCatalog#putAll}: many zones published as one generation, answered as if put one by one. */
class ZoneCatalogBulkTest {

    private static StoredZone small(String origin, int last) throws Exception {
        return ZoneLoader.parse(DnsName.of(origin), """
            $TTL 3600
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
              NS ns1
            ns1 A 198.18.0.53
            www A 198.18.0.%d
            """.formatted(last), origin);
    }

    @Test
    void manyZonesInOneGenerationAreAllAnswered() throws Exception {
        EngineHarness h = new EngineHarness();
        List<StoredZone> zones = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            zones.add(small("s" + i + ".test", i % 250));
        }
        List<DnsName> told = new ArrayList<>();
        h.catalog.listener((origin, before, after, deletions, additions) -> {
            assertNull(before);
            told.add(origin);
        });
        h.catalog.putAll(zones);
        assertEquals(3000, h.catalog.zones().size());
        assertEquals(3000, told.size(), "the listener hears of every zone");
        for (int i : new int[] {0, 1, 1499, 2999}) {
            Message m = h.ask("www.s" + i + ".test", RecordType.A);
            assertEquals(Rcode.NOERROR, m.rcode());
            assertEquals(1, m.answers().size());
        }
    }

    @Test
    void addingAZoneBelowAnotherChangesTheParentsGenerationOnly() throws Exception {
        EngineHarness h = new EngineHarness();
        h.catalog.putAll(List.of(small("a.test", 1), small("b.test", 2)));
        h.ask("www.a.test", RecordType.A);
        int a = h.engine.lastZoneSlot();
        h.ask("www.b.test", RecordType.A);
        int b = h.engine.lastZoneSlot();
        CatalogSnapshot before = h.catalog.snapshot();
        StoredZone child = small("sub.a.test", 3);
        h.catalog.putAll(List.of(child, small("c.test", 4)));
        CatalogSnapshot after = h.catalog.snapshot();
        assertNotEquals(before.generation(a), after.generation(a), "a cut moved below a.test");
        assertEquals(before.generation(b), after.generation(b), "b.test's cached answers stay valid");
        assertSame(before.zones().get(DnsName.of("b.test")), after.zones().get(DnsName.of("b.test")));
        assertSame(child, after.zones().get(DnsName.of("sub.a.test")));
        assertEquals(Rcode.NOERROR, h.ask("www.sub.a.test", RecordType.A).rcode());
    }
}
