package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.perf.gen.profile.Profile;
import dev.isthmus.perf.gen.profile.ProfileException;
import dev.isthmus.perf.gen.profile.ProfileLoader;
import dev.isthmus.perf.gen.profile.Stream;
import dev.isthmus.perf.gen.profile.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Profiles parse into what they say; bad ones are refused with every problem as file:line: key: message. */
class ProfileLoaderTest {

    private static Profile parse(String yaml) throws ProfileException {
        return ProfileLoader.parse("p.yml", yaml, Path.of("."));
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ProfileException.class, () -> parse(yaml)).problems();
    }

    @Test
    void theShippedProfilesParse() throws Exception {
        try (var files = Files.list(Path.of("profiles"))) {
            List<Path> yml = files.filter(p -> p.toString().endsWith(".yml")).toList();
            assertTrue(yml.size() >= 3, "perf/profiles has the examples: " + yml);
            for (Path p : yml) {
                assertTrue(ProfileLoader.load(p).streams().size() > 0, p.toString());
            }
        }
    }

    @Test
    void aProfileReadsIntoItsStreams() throws Exception {
        Profile p = parse("""
                lcores: {tx: 1, rx: 0}
                ports:
                  - name: a
                    device: net_null0
                    streams:
                      - name: udp
                        rate: 2.5kpps
                        count: 100
                        latency: true
                        packet:
                          vlan: 7
                          ipv4: {src: 198.18.0.1-198.18.0.10, dst: 198.19.0.1}
                          udp: {src-port: 1000-1009, dst-port: 9}
                          size: 128
                      - name: dns
                        rate: 10%
                        vary: random
                        packet:
                          ipv6: {src: "2001:db8::1-2001:db8::ff", dst: "2001:db8::53"}
                          dns:
                            - {name: www.example.test, type: AAAA, weight: 3, rcode: NOERROR, answers: 1}
                            - {name: nope.example.test, rcode: NXDOMAIN}
                """);
        assertEquals(1, p.txCpu());
        Stream udp = p.streams().get(0);
        assertEquals(2500, udp.rate().pps());
        assertEquals(100, udp.count());
        assertTrue(udp.latency());
        Template t = udp.packet();
        assertEquals(7, t.vlan());
        assertEquals(10, t.src().span());
        assertEquals(0xC6120001L, t.src().first());
        assertEquals(10, t.srcPort().span());
        assertEquals(128, t.size());
        Stream dns = p.streams().get(1);
        assertEquals(1, dns.id());
        assertEquals(10, dns.rate().percent());
        assertTrue(dns.random() && dns.isDns());
        assertEquals(255, dns.packet().src().span());
        assertEquals(53, dns.packet().dstPort().first());
        assertEquals(new Template.DnsQuery("www.example.test.", 28, 3, 0, 1), dns.packet().queries().get(0));
        assertEquals(new Template.DnsQuery("nope.example.test.", 1, 1, 3, -1), dns.packet().queries().get(1));
    }

    @Test
    void everyProblemIsReportedWithItsLine() {
        List<String> problems = problems("""
                ports:
                  - name: a
                    device: net_null0
                    colour: blue
                    streams:
                      - name: s
                        rate: fast
                        packet:
                          ipv4: {src: 198.18.0.300, dst: 198.19.0.1}
                          udp: {src-port: 9-2}
                """);
        assertEquals(List.of(
                "p.yml:4: ports[0].colour: unknown key (expected one of name, device, args, streams)",
                "p.yml:7: ports[0].streams[0].rate: must be a rate such as 10000pps, 250kpps, 1.5mpps or 10%, not 'fast'",
                "p.yml:9: ports[0].streams[0].packet.ipv4.src: '198.18.0.300' is not an IPv4 address or range A-B",
                "p.yml:10: ports[0].streams[0].packet.udp.src-port: must be a port 0-65535 or a range A-B, not '9-2'"),
                problems);
    }

    @Test
    void aLatencyStreamNeedsRoomForItsSignature() {
        List<String> problems = problems("""
                ports:
                  - name: a
                    device: net_null0
                    streams:
                      - name: s
                        rate: 1000pps
                        latency: true
                        packet:
                          ipv6: {src: "2001:db8::1", dst: "2001:db8::2"}
                          size: 80
                """);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("p.yml:7: ports[0].streams[0].latency: the latency signature needs 18 "
                + "bytes of UDP payload; the frame of 80 bytes leaves 14"), problems.get(0));
    }

    @Test
    void structuralMistakesAreNamed() {
        List<String> problems = problems("""
                ports:
                  - name: a
                    device: eth0
                    streams:
                      - name: s
                        rate: 0%
                        packet:
                          udp: {dst-port: 53}
                          dns:
                            - {name: "bad..name", type: QQ}
                      - name: s
                        rate: 1pps
                        pcap: missing.pcap
                        packet: {ipv4: {src: 1.2.3.4, dst: 1.2.3.5}}
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("p.yml:3: ports[0].device: port a: device 'eth0' is "
                + "neither a PCI address")), problems.toString());
        assertTrue(problems.contains("p.yml:6: ports[0].streams[0].rate: a share of the line rate must be above 0% and "
                + "at most 100%"), problems.toString());
        assertTrue(problems.contains("p.yml:8: ports[0].streams[0].packet: needs exactly one of ipv4 or ipv6"),
                problems.toString());
        assertTrue(problems.contains("p.yml:10: ports[0].streams[0].packet.dns[0].name: 'bad..name' is not a DNS name "
                + "(labels of 1-63 bytes, 255 in all)"), problems.toString());
        assertTrue(problems.contains("p.yml:10: ports[0].streams[0].packet.dns[0].type: unknown type 'QQ' (A, AAAA, MX,"
                + " ... or TYPEn)"), problems.toString());
        assertTrue(problems.contains("p.yml:11: ports[0].streams[1].name: 's' is given twice (stream names are unique)"),
                problems.toString());
        assertTrue(problems.contains("p.yml:11: ports[0].streams[1]: needs exactly one of packet (a generated stream) "
                + "or pcap (a replay)"), problems.toString());
    }

    @Test
    void badYamlAndEmptyFilesNameTheLine() {
        assertEquals(List.of("p.yml:1: the profile is empty; it needs at least a ports list"), problems(""));
        assertTrue(problems("ports: [\n  {name: a\n").get(0).startsWith("p.yml:3: not valid YAML"));
    }
}
