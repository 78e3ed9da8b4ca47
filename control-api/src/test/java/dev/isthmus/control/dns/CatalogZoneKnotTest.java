package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.SecondarySource;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.xfr.KnotPrimary;
import dev.isthmus.dns.xfr.Primary;
import dev.isthmus.dns.xfr.TransferLimits;
import dev.isthmus.dns.xfr.XfrClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog zone (RFC 9432, version 2) on Knot with two member zones: Isthmus serves both as secondaries of the same
 * primary and key; adding a third member on Knot makes Isthmus serve it, removing one makes it stop. Changes arrive
 * by Knot's NOTIFY and IXFR of the catalog. Waits are polls with generous bounds.
 */
class CatalogZoneKnotTest {
    private static final String SECRET = "UmbsfheALU4GWrglebepS6IgbzsHs4M3W2Eh0FsoFJk=";
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String CATALOG = """
            $ORIGIN catalog.invalid.
            $TTL 0
            @ SOA invalid. invalid. 1 3600 5 600 0
            @ NS invalid.
            version TXT "2"
            m1.zones PTR member1.test.
            m2.zones PTR member2.test.
            """;

    @TempDir
    Path dir;

    private static String member(String origin) {
        return """
                $ORIGIN %s.
                $TTL 300
                @ SOA ns1 hostmaster 1 3600 5 600 300
                @ NS ns1
                ns1 A 198.18.0.1
                """.formatted(origin);
    }

    @Test
    void membersFollowTheCatalog() throws Exception {
        int notifyPort = KnotPrimary.freePort();
        int knotPort = KnotPrimary.freePort();
        Map<String, String> zonesOnKnot = new LinkedHashMap<>();
        zonesOnKnot.put("catalog.invalid", CATALOG);
        for (String m : List.of("member1.test", "member2.test", "member3.test")) {
            zonesOnKnot.put(m, member(m));
        }
        Primary primary = Primary.parse("127.0.0.1@" + knotPort);
        try (KnotPrimary knot = new KnotPrimary(Files.createDirectories(dir.resolve("knot")), "127.0.0.1@" + knotPort,
                zonesOnKnot, "catalog.invalid", "xfr", SECRET, "127.0.0.1@" + notifyPort);
             Journal journal = new Journal(dir.resolve("journal"))) {
            ZoneCatalog catalog = new ZoneCatalog();
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(List.of(), false);
            try (SecondaryService secondaries = new SecondaryService(zones, catalog, journal, Clock.systemUTC(),
                    dir.resolve("copies"), TsigKeyring.of(TsigKey.parse("xfr", "hmac-sha256", SECRET)),
                    XfrClient.Dialer.PLAIN, new TransferLimits(1 << 20, 10_000, Duration.ofSeconds(5)));
                 KernelDnsServer transport = new KernelDnsServer(catalog, List.of(new InetSocketAddress(
                         InetAddress.getLoopbackAddress(), notifyPort)), 1, Duration.ofSeconds(1))) {
                transport.notifyHandler(secondaries.notifyReceiver());
                secondaries.start(List.of(new SecondarySource("catalog.invalid", List.of(primary), "xfr", true)),
                        false);
                await(() -> served(zones, "member1.test") && served(zones, "member2.test"), "the two members");
                assertFalse(served(zones, "member3.test"));
                assertEquals("xfr", secondaries.status("member1.test").orElseThrow().key());

                knot.changeZone("catalog.invalid", "m3.zones 0 PTR member3.test.");
                await(() -> served(zones, "member3.test"), "a third member added on Knot");

                knot.removeFromZone("catalog.invalid", "m1.zones PTR");
                await(() -> !served(zones, "member1.test") && !secondaries.isSecondary("member1.test"),
                        "a member removed on Knot");
                assertTrue(served(zones, "member2.test") && served(zones, "member3.test"));
            }
        }
    }

    private static boolean served(ZoneService zones, String name) {
        return zones.zone(name).map(z -> z.zone().serial() == 1).orElse(false);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + BOUND.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
