package dev.isthmus.dns.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.tsig.TsigKey;
import dev.isthmus.dns.tsig.TsigKeyring;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.xfr.AddressPrefix;
import dev.isthmus.dns.xfr.Notifier;
import dev.isthmus.dns.xfr.TransferCounters;
import dev.isthmus.dns.xfr.TransferPolicies;
import dev.isthmus.dns.xfr.TransferPolicy;
import dev.isthmus.dns.xfr.ZoneHistory;
import dev.isthmus.dns.xfr.ZoneTransfers;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isthmus as primary on the kernel-socket transport (loopback), NSD as its secondary: NSD's first AXFR, then a
 * change made through the catalog reaches NSD by NOTIFY and IXFR; kdig checks the framing of Isthmus's AXFR and IXFR
 * answers (it validates SOA framing, IDs and the question across messages).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrimaryTransferTest {
    static final DnsName ORIGIN = DnsName.of("example.test");
    static final DnsName SIGNED = DnsName.of("signed.test");
    static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0ISE=";
    static final TsigKey KEY = TsigKey.parse("xfr.key", "hmac-sha256", SECRET);

    @TempDir
    static Path dir;
    static ZoneCatalog catalog;
    static ZoneTransfers transfers;
    static KernelDnsServer isthmus;
    static Process nsd;
    static int isthmusPort;
    static int nsdPort;

    static String zone(long serial, String... extra) {
        StringBuilder b = new StringBuilder("""
            $ORIGIN example.test.
            $TTL 3600
            @ IN SOA ns1 hostmaster %d 7200 3600 1209600 300
            @ NS ns1
            ns1 A 198.18.0.53
            www A 198.18.0.80
            mail MX 10 mx
            mx A 198.18.0.25
            txt TXT "a text record"
            """.formatted(serial));
        for (int i = 0; i < 400; i++) {
            b.append("host").append(i).append(" A 198.18.1.").append(i % 250).append('\n');
        }
        for (String line : extra) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.requireProgram("nsd", "nsd");
        Prerequisites.requireProgram("kdig", "knot-dnsutils");
        catalog = new ZoneCatalog();
        TransferCounters counters = new TransferCounters();
        transfers = new ZoneTransfers(catalog, new ZoneHistory(),
            new Notifier(java.net.DatagramSocket::new, Duration.ofMillis(500), 6, counters), counters);
        isthmusPort = KernelTransportTest.freePort();
        nsdPort = KernelTransportTest.freePort();
        InetSocketAddress nsdAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), nsdPort);
        transfers.policies(TransferPolicies.NONE.withKeys(TsigKeyring.of(KEY))
            .with(ORIGIN, new TransferPolicy(List.of(AddressPrefix.parse("127.0.0.0/8")), List.of(nsdAddress), null))
            .with(SIGNED, new TransferPolicy(List.of(AddressPrefix.parse("127.0.0.0/8")), List.of(nsdAddress),
                "xfr.key")));
        catalog.replace("example.test", zone(2026120401));
        catalog.replace("signed.test", zone(7).replace("example.test.", "signed.test."));
        isthmus = new KernelDnsServer(catalog, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            isthmusPort)), 1, Duration.ofSeconds(5), transfers.responder());
        nsd = startNsdSecondary();
    }

    static Process startNsdSecondary() throws IOException {
        String conf = "server:\n"
            + "  ip-address: 127.0.0.1@" + nsdPort + "\n"
            + "  zonesdir: \"" + dir + "\"\n"
            + "  pidfile: \"" + dir.resolve("nsd.pid") + "\"\n"
            + "  database: \"\"\n"
            + "  zonelistfile: \"" + dir.resolve("zone.list") + "\"\n"
            + "  xfrdfile: \"" + dir.resolve("xfrd.state") + "\"\n"
            + "  xfrdir: \"" + dir + "\"\n"
            + "  logfile: \"" + dir.resolve("nsd.log") + "\"\n"
            + "  username: \"\"\n  chroot: \"\"\n  rrl-ratelimit: 0\n  server-count: 1\n  verbosity: 2\n"
            + "remote-control:\n  control-enable: no\n"
            + "key:\n  name: xfr.key\n  algorithm: hmac-sha256\n  secret: \"" + SECRET + "\"\n"
            + "zone:\n  name: signed.test\n"
            + "  zonefile: \"" + dir.resolve("signed.test.secondary") + "\"\n"
            + "  request-xfr: 127.0.0.1@" + isthmusPort + " xfr.key\n"
            + "  allow-notify: 127.0.0.1 xfr.key\n"
            + "zone:\n  name: example.test\n"
            + "  zonefile: \"" + dir.resolve("example.test.secondary") + "\"\n"
            + "  request-xfr: 127.0.0.1@" + isthmusPort + " NOKEY\n"
            + "  allow-notify: 127.0.0.1 NOKEY\n";
        Path confFile = dir.resolve("nsd.conf");
        Files.writeString(confFile, conf);
        return new ProcessBuilder("nsd", "-d", "-c", confFile.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("nsd.out").toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nsd != null) {
            Shell.stop(nsd);
        }
        if (isthmus != null) {
            isthmus.close();
        }
        if (transfers != null) {
            transfers.notifier().close();
        }
    }

    /** Runs a command, returning its standard output; fails on a non-zero exit. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    /** The records of kdig's output, comments and blank lines left out. */
    static List<String> records(String kdigOutput) {
        List<String> out = new ArrayList<>();
        for (String line : kdigOutput.split("\n")) {
            if (!line.isBlank() && !line.startsWith(";") && !line.contains("\tTSIG\t")) {
                out.add(line.replaceAll("\\s+", " ").strip());
            }
        }
        return out;
    }

    static String nsdAnswer(String name, String type) throws Exception {
        return run("kdig", "@127.0.0.1", "-p", Integer.toString(nsdPort), "+short", "+time=1", "+retry=0", name,
            type).strip();
    }

    /** Waits (at most 30 s) for NSD to answer {@code name type} with {@code expected}. */
    static void awaitNsd(String name, String type, String expected) throws Exception {
        String last = "";
        for (int i = 0; i < 300; i++) {
            if (!nsd.isAlive()) {
                throw new IOException("nsd exited: " + Files.readString(dir.resolve("nsd.out")));
            }
            try {
                last = nsdAnswer(name, type);
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("NSD answers " + name + " " + type + " with '" + last + "', not '" + expected
            + "'; nsd log:\n" + Files.readString(dir.resolve("nsd.log")));
    }

    @Test
    @Order(1)
    void nsdLoadsTheZoneByAxfr() throws Exception {
        awaitNsd("www.example.test", "A", "198.18.0.80");
        assertEquals("198.18.1.7", nsdAnswer("host7.example.test", "A"));
        assertTrue(transfers.counters().snapshot().get("axfr") + transfers.counters().snapshot().get("ixfr_as_axfr")
            >= 1, transfers.counters().snapshot().toString());
    }

    @Test
    @Order(2)
    void kdigAcceptsTheAxfrFraming() throws Exception {
        String out = run("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "AXFR", "example.test");
        assertFalse(out.contains(";; ERROR") || out.contains(";; WARNING"), out);
        List<String> rr = records(out);
        assertEquals(catalog.zones().get(ORIGIN).records() + 1, rr.size(), out);
        assertTrue(rr.get(0).contains(" SOA ") && rr.get(0).equals(rr.get(rr.size() - 1)));
    }

    @Test
    @Order(3)
    void aChangeReachesNsdByNotifyAndIxfr() throws Exception {
        long ixfrBefore = transfers.counters().snapshot().get("ixfr");
        catalog.replace("example.test", zone(2026120402, "new A 198.18.0.99")
            .replace("www A 198.18.0.80", "www A 198.18.0.81"));
        awaitNsd("www.example.test", "A", "198.18.0.81");
        assertEquals("198.18.0.99", nsdAnswer("new.example.test", "A"));
        assertTrue(nsdAnswer("example.test", "SOA").contains("2026120402"));
        var c = transfers.counters().snapshot();
        assertTrue(c.get("ixfr") > ixfrBefore, "NSD took the change as IXFR: " + c);
        assertTrue(c.get("notify_answered") >= 1, "NSD answered the NOTIFY: " + c);
    }

    @Test
    @Order(4)
    void kdigAcceptsTheIxfrFraming() throws Exception {
        String out = run("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "IXFR=2026120401",
            "example.test");
        assertFalse(out.contains(";; ERROR") || out.contains(";; WARNING"), out);
        List<String> rr = records(out);
        assertEquals(7, rr.size(), "SOA, old SOA, www deleted, new SOA, www and new added, SOA:\n" + out);
        assertTrue(rr.get(0).contains("2026120402") && rr.get(1).contains("2026120401")
            && rr.get(3).contains("2026120402") && rr.get(6).equals(rr.get(0)), out);
        assertTrue(rr.get(2).contains("198.18.0.80"), out);
        String upToDate = run("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "IXFR=2026120402",
            "example.test");
        assertEquals(1, records(upToDate).size(), upToDate);
    }

    @Test
    @Order(5)
    void aZoneThatRequiresTsigIsTransferredSignedAndNotifiedSigned() throws Exception {
        awaitNsd("www.signed.test", "A", "198.18.0.80");
        String tsig = "hmac-sha256:xfr.key:" + SECRET;
        String signed = run("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "-y", tsig, "AXFR",
            "signed.test");
        assertFalse(signed.contains(";; ERROR") || signed.contains(";; WARNING"), signed);
        assertEquals(catalog.zones().get(SIGNED).records() + 1, records(signed).size(), signed);
        Process p = new ProcessBuilder("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "AXFR",
            "signed.test").redirectErrorStream(true).start();
        String unsigned = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(unsigned.contains("REFUSED"), "no key, no zone:\n" + unsigned);
        catalog.replace("signed.test", zone(8, "new A 198.18.0.98").replace("example.test.", "signed.test."));
        awaitNsd("new.signed.test", "A", "198.18.0.98");
        String nsdLog = Files.readString(dir.resolve("nsd.log"));
        assertFalse(nsdLog.contains("bad tsig") || nsdLog.contains("BADSIG"), nsdLog);
    }

    @Test
    @Order(6)
    void aPeerOutsideAllowTransferIsRefused() throws Exception {
        TransferPolicies before = transfers.policies();
        transfers.policies(TransferPolicies.NONE.with(ORIGIN, new TransferPolicy(
            List.of(AddressPrefix.parse("198.18.0.2")), List.of(), null)));
        try {
            Process p = new ProcessBuilder("kdig", "@127.0.0.1", "-p", Integer.toString(isthmusPort), "AXFR",
                "example.test").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            assertTrue(out.contains("REFUSED"), out);
            assertTrue(transfers.counters().snapshot().get("refused") >= 1);
        } finally {
            transfers.policies(before);
        }
    }
}
