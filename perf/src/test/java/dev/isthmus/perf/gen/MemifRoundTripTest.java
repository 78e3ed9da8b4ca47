package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.nativebindings.Eal;
import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator in this JVM, an Isthmus data plane ({@link DeviceUnderTest}) in another process, joined by a
 * net_memif: latency signatures survive the round trip through the data plane's forwarding (macswap), and DNS
 * queries are answered by the production DNS pipeline over the sample zone, every answer matched to its query and
 * checked. Low rates and fixed counts: nothing may be lost.
 */
class MemifRoundTripTest {

    private static final Path ZONE = Path.of("../dns-server/src/main/resources/zones/example.test.zone");

    @BeforeAll
    static void eal() {
        Eal.shared();
    }

    /** Starts the device under test as the memif server; returns it once it polls. */
    private static Process startDut(String mode, Path socket) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--") || a.startsWith("-D")) {
                command.add(a);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DeviceUnderTest.class.getName(), mode,
                "net_memif_dut", "role=server,socket=" + socket + ",id=0", "-1", "isthmusdut" + ProcessHandle.current().pid(),
                ZONE.toString()));
        Process dut = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(dut.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.equals("dut ready")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "dut-output");
                drain.setDaemon(true);
                drain.start();
                return dut;
            }
        }
        throw new AssertionError("the device under test did not start:\n" + seen);
    }

    private static RunResult run(String mode, String streams) throws Exception {
        Path dir = Files.createTempDirectory("isthmus-memif");
        Path socket = dir.resolve("memif.sock");
        Process dut = startDut(mode, socket);
        try {
            Profile p = ProfileLoader.parse("memif.yml", """
                    ports:
                      - name: dut
                        device: net_memif_gen%d
                        args: role=client,socket=%s,id=0
                        streams:
                    %s""".formatted(ProcessHandle.current().pid() % 1000 + mode.length(), socket, streams.indent(6)),
                    Path.of("."));
            try (Generator gen = Generator.open(p)) {
                // The memif connects asynchronously: wait for the link before sending.
                long end = System.nanoTime() + 10_000_000_000L;
                while (!gen.port("dut").link().up() && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertTrue(gen.port("dut").link().up(), "the memif came up");
                return gen.run(p, Duration.ofSeconds(60), Duration.ofSeconds(2), null);
            }
        } finally {
            dut.getOutputStream().close();
            if (!dut.waitFor(20, TimeUnit.SECONDS)) {
                dut.destroyForcibly();
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void latencySignaturesSurviveARoundTripThroughTheDataPlane() throws Exception {
        RunResult r = run("macswap", """
                - name: udp
                  rate: 2kpps
                  count: 4000
                  latency: true
                  packet:
                    eth: {src: "02:00:00:00:00:01", dst: "02:00:00:00:00:53"}
                    ipv4: {src: 198.18.1.1-198.18.1.50, dst: 198.18.0.9}
                    udp: {src-port: 2000-2999, dst-port: 9}
                """);
        StreamResult s = r.streams().get(0);
        assertEquals(4000, s.sent());
        assertEquals(4000, s.received(), "every packet came back");
        assertEquals(0, s.duplicated());
        assertEquals(4000, s.latency().getTotalCount(), "a round-trip latency per packet");
        assertTrue(s.latency().getMinValue() > 0);
    }

    @Test
    void dnsQueriesAreAnsweredMatchedAndChecked() throws Exception {
        RunResult r = run("dns", """
                - name: dns
                  rate: 2kpps
                  count: 3000
                  packet:
                    eth: {src: "02:00:00:00:00:01", dst: "02:00:00:00:00:53"}
                    ipv4: {src: 198.18.1.1-198.18.1.254, dst: 198.18.0.53}
                    udp: {src-port: 10000-19999, dst-port: 53}
                    dns:
                      - {name: www.example.test, type: A, weight: 3, rcode: NOERROR, answers: 1}
                      - {name: ftp.example.test, type: A, weight: 1, rcode: NOERROR, answers: 2}
                      - {name: nope.example.test, type: A, weight: 1, rcode: NXDOMAIN, answers: 0}
                      - {name: www.example.test, type: AAAA, weight: 1, rcode: NOERROR, answers: 2}
                """);
        StreamResult s = r.streams().get(0);
        assertEquals(3000, s.sent());
        assertEquals(3000, s.received(), "every query answered and matched by ID and question");
        assertEquals(0, s.dnsMismatches().get("question"));
        assertEquals(0, s.dnsMismatches().get("rcode"));
        assertEquals(0, s.dnsMismatches().get("unmatched-id"));
        // www AAAA has one answer, not two: exactly those responses are counted as answer-count mismatches.
        assertEquals(500, s.dnsMismatches().get("answer-count"), "the check of the answer count can fail");
        assertEquals(3000, s.latency().getTotalCount());
    }
}
