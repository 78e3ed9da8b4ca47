package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.perf.gen.profile.ProfileLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * perf/trex builds the same packets as the generator: the first packets of each shipped profile's streams, as
 * {@code ./isthmus gen --dump-pcap} writes them, equal byte for byte what perf/trex/isthmus_packets.py builds with
 * Debian's scapy; and the thin TRex wrappers build their streams against a stand-in for TRex's API.
 */
class TrexProfilesTest {

    private static final String PYTHON = "/usr/bin/python3";

    private static String python(String... args) throws Exception {
        Process p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of(PYTHON),
                java.util.stream.Stream.of(args)).toList()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns-mix.yml", "vxlan.yml", "udp-loop.yml"})
    void scapyBuildsWhatTheGeneratorSends(String name) throws Exception {
        Path profile = Path.of("profiles", name);
        Path dump = Files.createTempFile("isthmus-gen-", ".pcap");
        try {
            int n = 300;
            List<byte[]> frames = Generator.dump(ProfileLoader.load(profile), n);
            Pcap.write(dump, frames);
            String out = python("trex/parity.py", profile.toString(), dump.toString(), Integer.toString(n));
            assertTrue(out.contains("all equal") && !out.contains("parity: 0 streams"), out);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    void theTrexWrappersBuildTheirStreams() throws Exception {
        String out = python("trex/fake_trex_check.py", "trex/dns_mix.py", "trex/vxlan.py");
        assertEquals(8, out.lines().count(), out);
        assertTrue(out.contains("dns_mix.py dns-0 pps=42105.3 76 bytes"), out);
        assertTrue(out.contains("vxlan.py vxlan-100 pps=50000 174 bytes"), out);
        assertTrue(out.contains("stats=STLFlowLatencyStats"), out);
    }
}
