package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.testing.TestConfig;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.nativebindings.testing.Prerequisites;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole appliance as a primary, on a net_tap port: NSD on the host side is its secondary. NSD's AXFR and IXFR
 * reach the appliance's address over TCP, through the data plane to the exception path's kernel-socket transport;
 * the appliance's NOTIFY leaves from the exception path's namespace through the data plane. A change made over
 * REST (PATCH) reaches NSD by NOTIFY and IXFR. kdig checks AXFR framing from the host, and IXFR over UDP is
 * answered by the data plane (the SOA alone). Needs root (TAP, namespace) and nsd, kdig.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrimaryOverTapTest {

    private static final String IFACE = "isthmusxo0";
    private static final String APPLIANCE = "198.18.61.53";
    private static final String HOST = "198.18.61.1";
    private static final int NSD_PORT = 5361;

    private TestConfig config;
    private ApplicationContext context;
    private HttpClient http;
    private Process nsd;
    private Path nsdDir;

    @BeforeAll
    void start() throws Exception {
        Prerequisites.requireRoot("TAP devices and namespaces");
        Prerequisites.requireProgram("nsd", "nsd");
        Prerequisites.requireProgram("kdig", "knot-dnsutils");
        config = TestConfig.write("""
                eal:
                  file-prefix: isthmusxo
                lcores:
                  workers: [-1]
                ports:
                  - name: tap0
                    device: net_tap0
                    devargs: iface=%s,mac=02:00:00:00:61:53
                    addresses: [%s/24]
                    kernel-addresses: [%s/24]
                dns:
                  zones:
                    - origin: isthmus.test
                      file: "classpath:zones/isthmus-test.zone"
                      allow-transfer: [198.18.61.0/24]
                      notify: ["%s@%d"]
                """.formatted(IFACE, APPLIANCE, HOST, HOST, NSD_PORT));
        context = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(config.propertiesWithDataplane()))
                .getApplicationContext();
        http = HttpClient.create(context.getBean(EmbeddedServer.class).getURL());
        ApplianceHttp.awaitHealthy(http);
        nsdDir = config.directory().resolve("nsd");
        Files.createDirectories(nsdDir);
        String conf = "server:\n"
                + "  ip-address: " + HOST + "@" + NSD_PORT + "\n"
                + "  zonesdir: \"" + nsdDir + "\"\n"
                + "  pidfile: \"" + nsdDir.resolve("nsd.pid") + "\"\n"
                + "  database: \"\"\n"
                + "  zonelistfile: \"" + nsdDir.resolve("zone.list") + "\"\n"
                + "  xfrdfile: \"" + nsdDir.resolve("xfrd.state") + "\"\n"
                + "  xfrdir: \"" + nsdDir + "\"\n"
                + "  logfile: \"" + nsdDir.resolve("nsd.log") + "\"\n"
                + "  username: \"\"\n  chroot: \"\"\n  rrl-ratelimit: 0\n  server-count: 1\n  verbosity: 2\n"
                + "remote-control:\n  control-enable: no\n"
                + "zone:\n  name: isthmus.test\n"
                + "  zonefile: \"" + nsdDir.resolve("isthmus.test.secondary") + "\"\n"
                + "  request-xfr: " + APPLIANCE + " NOKEY\n"
                + "  allow-notify: " + APPLIANCE + " NOKEY\n";
        Files.writeString(nsdDir.resolve("nsd.conf"), conf);
        nsd = new ProcessBuilder("nsd", "-d", "-c", nsdDir.resolve("nsd.conf").toString())
                .redirectErrorStream(true).redirectOutput(nsdDir.resolve("nsd.out").toFile()).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (config == null) {
            return;
        }
        try {
            if (nsd != null) {
                Shell.stop(nsd);
            }
            if (http != null) {
                http.close();
            }
            if (context != null) {
                context.close();
            }
            assertFalse(run(false, "ip", "netns", "list").contains("isthmusxo-exc"),
                    "the exception namespace is removed at stop");
        } finally {
            config.close();
        }
    }

    @Test
    @Order(1)
    void nsdTransfersTheZoneFromTheAppliance() throws Exception {
        awaitNsd("www.isthmus.test", "A", "198.18.0.80");
        Map<String, Long> c = counters();
        assertTrue(c.get("axfr") + c.get("ixfr_as_axfr") >= 1, c.toString());
    }

    @Test
    @Order(2)
    void kdigChecksTheAxfrAndTheDataPlaneAnswersIxfrOverUdp() throws Exception {
        String axfr = run(true, "kdig", "@" + APPLIANCE, "AXFR", "isthmus.test");
        assertFalse(axfr.contains(";; ERROR") || axfr.contains(";; WARNING"), axfr);
        List<String> rr = records(axfr);
        assertEquals(6, rr.size(), "SOA, 4 records, SOA:\n" + axfr);
        assertTrue(rr.getFirst().contains("SOA") && rr.getFirst().equals(rr.getLast()), axfr);
        String udp = run(true, "kdig", "@" + APPLIANCE, "+notcp", "IXFR=1", "isthmus.test");
        assertEquals(1, records(udp).size(), "an up-to-date IXFR over UDP is the SOA alone:\n" + udp);
    }

    @Test
    @Order(3)
    void aRestPatchReachesNsdByNotifyAndIxfr() throws Exception {
        long ixfr = counters().get("ixfr");
        http.toBlocking().exchange(HttpRequest.PATCH("/dns/zones/isthmus.test",
                "[{\"op\":\"add\",\"name\":\"new\",\"type\":\"A\",\"ttl\":300,\"data\":\"198.18.61.99\"}]")
                .contentType(MediaType.APPLICATION_JSON));
        awaitNsd("new.isthmus.test", "A", "198.18.61.99");
        Map<String, Long> c = counters();
        assertTrue(c.get("ixfr") > ixfr, "NSD took the change as IXFR: " + c);
        assertTrue(c.get("notify_answered") >= 1, "NSD answered the NOTIFY: " + c);
        String behind = run(true, "kdig", "@" + APPLIANCE, "+notcp", "+ignore", "IXFR=1", "isthmus.test");
        assertTrue(behind.contains(" tc") || behind.contains("tc;") || behind.contains("TC"),
                "behind: TC, so the client retries over TCP:\n" + behind);
    }

    private Map<String, Long> counters() {
        return http.toBlocking().retrieve(HttpRequest.GET("/dns/transfers"), Argument.mapOf(String.class, Long.class));
    }

    private void awaitNsd(String name, String type, String expected) throws Exception {
        String last = "";
        for (int i = 0; i < 300; i++) {
            if (!nsd.isAlive()) {
                throw new IOException("nsd exited: " + Files.readString(nsdDir.resolve("nsd.out")));
            }
            last = run(false, "kdig", "@" + HOST, "-p", Integer.toString(NSD_PORT), "+short", "+time=1",
                    "+retry=0", name, type).strip();
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("NSD answers " + name + " " + type + " with '" + last + "', not '" + expected
                + "'; nsd log:\n" + Files.readString(nsdDir.resolve("nsd.log")));
    }

    private static List<String> records(String kdigOutput) {
        List<String> out = new ArrayList<>();
        for (String line : kdigOutput.split("\n")) {
            if (!line.isBlank() && !line.startsWith(";") && !line.contains("\tTSIG\t")) {
                out.add(line.replaceAll("\\s+", " ").strip());
            }
        }
        return out;
    }

    private static String run(boolean mustSucceed, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        if (mustSucceed) {
            assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        }
        return out;
    }
}
