package dev.isthmus.control.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.SecondarySource;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.transport.KernelDnsServer;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.wire.DnsClass;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.Rcode;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.xfr.KnotPrimary;
import dev.isthmus.dns.xfr.Primary;
import dev.isthmus.dns.xfr.TransferLimits;
import dev.isthmus.dns.xfr.XfrClient;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isthmus as a TSIG secondary of Knot on loopback, control plane only: the first AXFR, a change on Knot reaching the
 * catalog by NOTIFY (Knot's own, through the kernel-socket transport) and IXFR, a key Knot does not know refused with
 * nothing changed, and a restart that serves the copy on disk before any refresh, then SERVFAIL once the SOA's
 * EXPIRE passes with the primary gone. Waits are polls with generous bounds, never timing assertions.
 */
class SecondaryServiceKnotTest {
    private static final String SECRET = "UmbsfheALU4GWrglebepS6IgbzsHs4M3W2Eh0FsoFJk=";
    private static final TsigKeyring KEYS = TsigKeyring.of(TsigKey.parse("xfr", "hmac-sha256", SECRET),
            TsigKey.parse("unknown-to-knot", "hmac-sha256", SECRET));
    // REFRESH 3600 (NOTIFY must do the work), RETRY 2, EXPIRE 10.
    private static final String ZONE = """
            $ORIGIN example.org.
            $TTL 300
            @ SOA ns1 hostmaster 1 3600 2 10 300
            @ NS ns1
            ns1 A 198.18.0.1
            www A 198.18.0.10
            """;
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void followsKnotByNotifyAndIxfrKeepsACopyAndExpires() throws Exception {
        Path knotDir = Files.createDirectories(dir.resolve("knot"));
        Path journalDir = dir.resolve("journal");
        int notifyPort = KnotPrimary.freePort();
        int knotPort = KnotPrimary.freePort();
        Primary primary = Primary.parse("127.0.0.1@" + knotPort);
        SecondarySource source = new SecondarySource("example.org", List.of(primary), "xfr");

        try (KnotPrimary knot = new KnotPrimary(knotDir, "127.0.0.1@" + knotPort, "example.org", ZONE, "xfr", SECRET,
                "127.0.0.1@" + notifyPort);
             Journal journal = new Journal(journalDir)) {
            ZoneCatalog catalog = new ZoneCatalog();
            ZoneService zones = new ZoneService(catalog, journal, Clock.systemUTC());
            zones.start(List.of(), false);
            try (SecondaryService secondaries = service(zones, catalog, journal);
                 KernelDnsServer transport = new KernelDnsServer(catalog, List.of(new InetSocketAddress(
                         InetAddress.getLoopbackAddress(), notifyPort)), 1, Duration.ofSeconds(1))) {
                transport.notifyHandler(secondaries.notifyReceiver());
                secondaries.start(List.of(source), false);
                await(() -> serial(zones) == 1, "the first transfer");
                assertEquals(Rcode.NOERROR, ask(catalog, "www.example.org").rcode());
                assertTrue(secondaries.status("example.org").orElseThrow().lastTransfer().startsWith("AXFR"));

                knot.change("new 300 A 198.18.0.20");
                try {
                    await(() -> serial(zones) == 2, "Knot's NOTIFY, then IXFR");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nknot: " + knot.log() + "\njournal: "
                            + journal.latest(20, x -> true), e);
                }
                Message answer = ask(catalog, "new.example.org");
                assertEquals(Rcode.NOERROR, answer.rcode());
                assertEquals(1, answer.answers().size());
                SecondaryStatus status = secondaries.status("example.org").orElseThrow();
                assertTrue(status.lastTransfer().startsWith("IXFR from serial 1 to 2"), status.lastTransfer());
                assertEquals(null, status.lastError());

                // A key Knot does not know: refused, reported, and the zone served as it was.
                secondaries.define("example.org", new SecondaryJson.Definition(List.of(primary), "unknown-to-knot"),
                        "test");
                status = secondaries.refreshNow("example.org", BOUND);
                assertNotNull(status.lastError());
                assertTrue(status.lastError().contains("NOTAUTH") || status.lastError().contains("TSIG"),
                        status.lastError());
                assertEquals(2, serial(zones));
                assertEquals(Rcode.NOERROR, ask(catalog, "new.example.org").rcode());
                secondaries.define("example.org", new SecondaryJson.Definition(List.of(primary), "xfr"), "test");
                secondaries.refreshNow("example.org", BOUND);
            }
            knot.close();

            // A restart with the primary gone: the copy on disk is served before any refresh ...
            ZoneCatalog restartedCatalog = new ZoneCatalog();
            ZoneService restarted = new ZoneService(restartedCatalog, journal, Clock.systemUTC());
            restarted.start(List.of(), true);
            try (SecondaryService secondaries = service(restarted, restartedCatalog, journal)) {
                secondaries.start(List.of(source), true);
                assertEquals(2, serial(restarted), "the copy on disk, served at start");
                assertEquals(Rcode.NOERROR, ask(restartedCatalog, "new.example.org").rcode());
                // ... until EXPIRE (10 s) passes without a primary: then SERVFAIL (RFC 1035 §4.3.5).
                await(() -> ask(restartedCatalog, "www.example.org").rcode() == Rcode.SERVFAIL, "expiry");
                SecondaryStatus status = secondaries.status("example.org").orElseThrow();
                assertTrue(status.expired());
                assertNotNull(status.lastError());
            }
        }
    }

    private static SecondaryService service(ZoneService zones, ZoneCatalog catalog, Journal journal) {
        return new SecondaryService(zones, catalog, journal, Clock.systemUTC(), journal.directory().resolve("secondary"),
                KEYS, XfrClient.Dialer.PLAIN, new TransferLimits(1 << 20, 10_000, Duration.ofSeconds(5)));
    }

    private static long serial(ZoneService zones) {
        return zones.zone("example.org").map(z -> z.zone().serial()).orElse(-1L);
    }

    private static Message ask(ZoneCatalog catalog, String name) {
        byte[] q = new MessageWriter(7, 0).question(DnsName.of(name), RecordType.A, DnsClass.IN).toByteArray();
        MemorySegment buf = Arena.ofAuto().allocate(4096);
        MemorySegment.copy(q, 0, buf, ValueLayout.JAVA_BYTE, 0, q.length);
        int n = new QueryEngine(catalog).answer(buf, 0, q.length, 4096, QueryEngine.STREAM);
        try {
            return MessageReader.read(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
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
