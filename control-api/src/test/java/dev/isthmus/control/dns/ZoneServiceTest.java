package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.ZoneSource;
import dev.isthmus.control.error.NotFoundException;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.dns.engine.CatalogSnapshot;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.zone.Zone;
import dev.isthmus.dns.zone.ZoneChange;
import dev.isthmus.dns.zone.ZonePatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneServiceTest {

    static String zone(String origin, long serial) {
        return """
                $ORIGIN %s.
                $TTL 300
                @    IN SOA ns1 hostmaster %d 3600 900 604800 300
                @    IN NS  ns1
                ns1  IN A   198.18.0.53
                www  IN A   198.18.0.80
                """.formatted(origin, serial);
    }

    @TempDir
    Path dir;

    private final ZoneCatalog catalog = new ZoneCatalog();

    private static final List<ZoneSource> CONFIGURED = List.of(new ZoneSource("isthmus.test", "classpath:zones/isthmus-test.zone"));

    @Test
    void startPublishesTheConfiguredZonesOnce() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, true);
            assertEquals(Set.of(DnsName.of("isthmus.test")), catalog.zones().keySet());
            assertEquals("classpath:zones/isthmus-test.zone", zones.zone("ISTHMUS.test.").orElseThrow().source());
        }
    }

    @Test
    void aConfiguredZoneThatDoesNotLoadStopsTheStartWithFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.zone");
        Files.writeString(bad, "$ORIGIN bad.test.\n@ IN SOA ns1 hostmaster 1 2 3 4 5\nwww IN A 300.1.1.1\n");
        try (Journal journal = new Journal(dir.resolve("journal"))) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            RejectedException e = assertThrows(RejectedException.class,
                    () -> zones.start(List.of(new ZoneSource("bad.test", bad.toString())), false));
            assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(bad + ":3: ")), e.problems()::toString);
            assertEquals(Set.of(), catalog.zones().keySet());
        }
    }

    @Test
    void rejectedZoneChangesNothingAndJournalsNothing() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, false);
            String before = zones.zone("isthmus.test").orElseThrow().text();
            CatalogSnapshot generation = catalog.snapshot();
            int journalled = journal.latest(1000, e -> true).size();

            RejectedException e = assertThrows(RejectedException.class,
                    () -> zones.put("isthmus.test", "$TTL 300\n@ IN NS ns1\nwww IN A 198.18.0.1\n", "test"));
            assertTrue(e.problems().stream().allMatch(p -> p.startsWith("isthmus.test.zone:")), e.problems()::toString);
            assertEquals(before, zones.zone("isthmus.test").orElseThrow().text());
            assertSame(generation, catalog.snapshot());
            assertEquals(journalled, journal.latest(1000, x -> true).size());
        }
    }

    @Test
    void zonesChangedOverRestAreRestoredFromTheJournalAfterARestart() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, true);
            zones.put("a.test", zone("a.test", 1), "rest 127.0.0.1");
            zones.put("a.test", zone("a.test", 2), "rest 127.0.0.1");
            zones.put("b.test", zone("b.test", 7), "rest 127.0.0.1");
            zones.delete("b.test", "rest 127.0.0.1");
            zones.put("isthmus.test", zone("isthmus.test", 42), "rest 127.0.0.1");
        }
        try (Journal journal = new Journal(dir)) {
            ZoneCatalog restartedCatalog = new ZoneCatalog();
            ZoneService restarted = new ZoneService(restartedCatalog, journal, Clock.systemUTC());
            restarted.start(CONFIGURED, true);
            assertEquals(List.of("a.test", "isthmus.test"), restarted.zones().stream().map(ServedZone::name).toList());
            assertEquals(2, restarted.zone("a.test").orElseThrow().zone().serial());
            assertEquals(Set.of(DnsName.of("a.test"), DnsName.of("isthmus.test")), restartedCatalog.zones().keySet());
            assertEquals(42, restarted.zone("isthmus.test").orElseThrow().zone().serial());
            assertEquals("journal", restarted.zone("a.test").orElseThrow().source());
            JournalEntry restored = journal.latest(1, e -> e.action().equals("restored")).getFirst();
            assertEquals("a.test isthmus.test", restored.value());

            ZoneService fresh = new ZoneService(new ZoneCatalog(), journal, Clock.systemUTC());
            fresh.start(CONFIGURED, false);
            assertEquals(1, fresh.zone("isthmus.test").orElseThrow().zone().serial());
            assertEquals(List.of("isthmus.test"), fresh.zones().stream().map(ServedZone::name).toList());
        }
    }

    @Test
    void deletingAZoneThatIsNotServedIsNotFound() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, false);
            assertThrows(NotFoundException.class, () -> zones.delete("nothing.test", "test"));
            CatalogSnapshot generation = catalog.snapshot();
            assertThrows(RejectedException.class, () -> zones.delete("bad..name", "test"));
            assertSame(generation, catalog.snapshot());
        }
    }

    private static ZonePatch patch(ZoneChange... changes) {
        return new ZonePatch(List.of(changes), null);
    }

    @Test
    void patchesAreReplayedInOrderOnTheLastPutOrOnTheConfiguredZone() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, true);
            zones.patch("isthmus.test", patch(ZoneChange.add("extra", "A", "60", "198.18.0.7")), "rest 127.0.0.1");
            zones.put("a.test", zone("a.test", 1), "rest 127.0.0.1");
            zones.patch("a.test", patch(ZoneChange.add("p1", "A", "60", "198.18.0.1")), "rest 127.0.0.1");
            zones.put("a.test", zone("a.test", 5), "rest 127.0.0.1");
            zones.patch("a.test", patch(ZoneChange.add("p2", "A", "60", "198.18.0.2")), "rest 127.0.0.1");
            zones.patch("a.test", patch(ZoneChange.remove("p2", "A", "198.18.0.2"), ZoneChange.add("p3", "TXT", "60", "three")),
                    "rest 127.0.0.1");
        }
        try (Journal journal = new Journal(dir)) {
            ZoneCatalog restartedCatalog = new ZoneCatalog();
            ZoneService restarted = new ZoneService(restartedCatalog, journal, Clock.systemUTC());
            restarted.start(CONFIGURED, true);
            Zone isthmus = restarted.zone("isthmus.test").orElseThrow().zone();
            assertEquals(2, isthmus.serial(), "the configured zone's serial 1, incremented once");
            assertTrue(isthmus.node(DnsName.of("extra.isthmus.test")) != null);
            Zone a = restarted.zone("a.test").orElseThrow().zone();
            assertEquals(7, a.serial(), "the last put's 5, incremented by two patches");
            assertNull(a.node(DnsName.of("p1.a.test")), "a patch before the last put no longer counts");
            assertNull(a.node(DnsName.of("p2.a.test")));
            assertTrue(a.node(DnsName.of("p3.a.test")) != null);
            assertEquals("journal", restarted.zone("a.test").orElseThrow().source());
            assertEquals("isthmus.test(patch) a.test a.test(patch) a.test(patch)",
                    journal.latest(1, e -> e.action().equals("restored")).getFirst().value());
        }
    }

    @Test
    void aPatchThatNoLongerAppliesStopsItsZoneAtTheStepBeforeAndSaysWhy() throws Exception {
        Path file = dir.resolve("c.zone");
        Files.writeString(file, zone("c.test", 3) + "gone IN A 198.18.0.1\n");
        List<ZoneSource> configured = List.of(new ZoneSource("c.test", file.toString()));
        try (Journal journal = new Journal(dir.resolve("journal"))) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(configured, true);
            zones.patch("c.test", patch(ZoneChange.add("kept", "A", "60", "198.18.0.2")), "rest");
            zones.patch("c.test", patch(ZoneChange.remove("gone", "A", null)), "rest");
            zones.patch("c.test", patch(ZoneChange.add("after", "A", "60", "198.18.0.3")), "rest");
        }
        Files.writeString(file, zone("c.test", 3)); // the operator removed "gone" from the file meanwhile
        try (Journal journal = new Journal(dir.resolve("journal"))) {
            ZoneService restarted = new ZoneService(new ZoneCatalog(), journal, Clock.systemUTC());
            restarted.start(configured, true);
            Zone c = restarted.zone("c.test").orElseThrow().zone();
            assertTrue(c.node(DnsName.of("kept.c.test")) != null);
            assertNull(c.node(DnsName.of("after.c.test")));
            assertEquals(4, c.serial());
            JournalEntry failed = journal.latest(1, e -> e.action().equals("restore-failed")).getFirst();
            assertEquals("dns.zone/c.test", failed.subject());
            assertEquals("changes[0].type: gone.c.test. has no A RRset", failed.value());
        }
    }

    @Test
    void aRefusedPatchChangesNothingAndIsNotJournalled() {
        try (Journal journal = new Journal(dir)) {
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(CONFIGURED, false);
            CatalogSnapshot generation = catalog.snapshot();
            long last = journal.latest(1, e -> true).isEmpty() ? -1 : journal.latest(1, e -> true).getFirst().index();
            RejectedException e = assertThrows(RejectedException.class, () -> zones.patch("isthmus.test",
                    patch(ZoneChange.add("www", "A", "60", "198.18.0.1"), ZoneChange.add("www", "CNAME", "60", "x")), "rest"));
            assertEquals(List.of("changes[1]: CNAME and other data at www.isthmus.test. (RFC 2181 §10.1)"), e.problems());
            assertSame(generation, catalog.snapshot());
            assertEquals(last, journal.latest(1, x -> true).isEmpty() ? -1 : journal.latest(1, x -> true).getFirst().index());
            assertThrows(NotFoundException.class, () -> zones.patch("nothing.test", patch(), "rest"));
        }
    }
}

