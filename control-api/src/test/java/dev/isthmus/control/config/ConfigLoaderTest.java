package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.config.IdlePolicy;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dns.rrl.RrlSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            ports:
              - name: p0
                device: net_null0
                addresses: [198.18.0.53/24]
            """;

    @TempDir
    Path dir;

    private static ApplianceConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yml", yaml, Path.of("/etc/isthmus"));
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void minimalFileTakesDocumentedDefaults() throws ConfigException {
        ApplianceConfig config = parse(MINIMAL);
        assertFalse(config.eal().hugepages());
        assertEquals(512, config.eal().memoryMb());
        assertEquals(List.of(1), config.lcores().workers());
        assertEquals(new MempoolConfig(8191, 256, 2176), config.mempool(), "sized for two ports (one the exception path's) on one lcore");
        assertEquals(new ApiConfig("127.0.0.1", 8080), config.api());
        assertEquals(Path.of("/var/lib/isthmus/journal"), config.journal().directory());
        assertTrue(config.journal().restore());
        assertTrue(config.dns().enabled());
        assertEquals(4096, config.dns().answerCacheEntries());
        assertEquals("net_null0", config.ports().getFirst().deviceSpec());
    }

    @Test
    void answerCacheIsOffOrAPowerOfTwo() throws ConfigException {
        assertEquals(0, parse(MINIMAL + "dns: {answer-cache-entries: 0}\n").dns().answerCacheEntries());
        assertEquals(16384, parse(MINIMAL + "dns: {answer-cache-entries: 16384}\n").dns().answerCacheEntries());
        assertEquals(List.of("test.yml:5: dns.answer-cache-entries: must be 0 (no packet cache) or a power of two, "
                + "got 3000"), problems(MINIMAL + "dns: {answer-cache-entries: 3000}\n"));
        List<String> negative = problems(MINIMAL + "dns: {answer-cache-entries: -1}\n");
        assertEquals(1, negative.size(), negative::toString);
        assertTrue(negative.getFirst().startsWith("test.yml:5: dns.answer-cache-entries: "), negative::toString);
    }

    @Test
    void shippedDefaultDescribesTheTapPortAndTheAddresses() throws Exception {
        Path shipped = Path.of("../config/isthmus.yml");
        // The shipped file names the dns-server's sample zone on the class path; parse it with that check
        // relaxed by pointing the zone at a file of our own.
        String text = Files.readString(shipped).replace("classpath:zones/example.test.zone", "classpath:zones/isthmus-test.zone");
        ApplianceConfig config = ConfigLoader.parse("isthmus.yml", text, Path.of("."));
        AppliancePort tap = config.ports().getFirst();
        assertTrue(tap.isTap());
        assertEquals("isthmus0", tap.kernelInterface().orElseThrow());
        assertEquals("198.18.0.1/24", tap.kernelAddresses().getFirst().toString());
        assertEquals("198.18.0.53/24", tap.addresses().getFirst().toString());
        assertTrue(tap.addresses().stream().anyMatch(IpPrefix::isIpv6));
        assertEquals("example.test", config.dns().zones().getFirst().origin());
        assertEquals("tap0", config.dns().uplink());
        assertTrue(config.dns().exceptionPath());
        assertEquals("02:00:00:00:00:53", tap.devarg("mac").orElseThrow());
        assertEquals("http://127.0.0.1:8080", config.api().baseUrl());
    }

    @Test
    void bareMetalExampleIsValid() throws Exception {
        String text = Files.readString(Path.of("../config/isthmus-baremetal.example.yml"));
        // Its zone files live on the production host; everything else must hold as written.
        List<String> problems = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("baremetal.yml", text, Path.of("."))).problems();
        assertTrue(problems.stream().allMatch(p -> p.contains("dns.zones[") && p.contains("does not exist")), problems::toString);
        ApplianceConfig config = ConfigLoader.parse("baremetal.yml",
                text.replaceAll("/etc/isthmus/zones/[a-z.]+zone", "classpath:zones/isthmus-test.zone"), Path.of("."));
        assertTrue(config.eal().hugepages());
        assertTrue(config.ports().getFirst().isPci());
        assertEquals("0000:03:00.0", config.ports().getFirst().deviceSpec());
        assertEquals(List.of(2, 3, 4, 5), config.lcores().workers());
        assertEquals("dns0", config.dns().uplink());
        assertTrue(config.ports().get(2).promiscuous());
        assertEquals(2, config.vswitch().bridgeDomains().size());
        assertEquals("uplink1", config.vswitch().underlay().port());
    }

    @Test
    void relativeZoneAndJournalPathsResolveAgainstTheConfigurationFile() throws Exception {
        Files.writeString(dir.resolve("a.zone"), "");
        Path file = dir.resolve("isthmus.yml");
        Files.writeString(file, MINIMAL + """
                dns:
                  zones:
                    - {origin: A.Example., file: a.zone}
                journal:
                  directory: journal
                """);
        ApplianceConfig config = ConfigLoader.load(file.toString());
        assertEquals(new ZoneSource("a.example", dir.resolve("a.zone").toString()), config.dns().zones().getFirst());
        assertEquals(dir.resolve("journal"), config.journal().directory());
    }

    @Test
    void everyProblemIsReportedWithFileLineAndKey() {
        List<String> problems = problems("""
                lcores:
                  workers: [-2, 2, 2]
                mempool:
                  mbufs: 511
                  cache-size: 512
                ports:
                  - name: p0
                    device: eth0
                    addresses: [198.18.0.53, 198.18.0.54/24]
                  - name: p0
                    device: net_null0
                    kernel-addresses: [198.18.0.1/24]
                api:
                  listen: localhost
                colour: blue
                """);
        assertEquals(List.of(
                "test.yml:2: lcores.workers[0]: must be a CPU number 0..127, or -1 for unpinned",
                "test.yml:2: lcores.workers[2]: CPU 2 is listed twice",
                "test.yml:5: mempool.cache-size: cache of 512 is too large for 511 mbufs (DPDK needs cache * 1.5 <= mbufs)",
                "test.yml:8: ports[0].device: 'eth0' is neither a PCI address (0000:03:00.0) nor a virtual device (net_tap0, net_null0, ...)",
                "test.yml:9: ports[0].addresses[0]: '198.18.0.53' needs a prefix length, e.g. 198.18.0.53/24 or 2001:db8::53/64",
                "test.yml:10: ports[1].name: port name 'p0' is used twice",
                "test.yml:12: ports[1].kernel-addresses: only a net_tap port has a kernel side to put addresses on",
                "test.yml:14: api.listen: 'localhost' must be ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
                "test.yml:15: colour: unknown key (expected one of eal, lcores, mempool, ports, dns, vswitch, api, journal, anycast)"),
                problems.stream().sorted((a, b) -> Integer.compare(line(a), line(b))).toList());
    }

    private static int line(String problem) {
        return Integer.parseInt(problem.split(":")[1]);
    }

    @Test
    void handoffLcoresAreReadAndChecked() throws ConfigException {
        LcoreLayout lcores = parse(MINIMAL + "lcores: {io: [1], workers: [2, 3]}\n").lcores();
        assertTrue(lcores.handoff());
        assertEquals(List.of(1), lcores.io());
        assertEquals(List.of(2, 3), lcores.workers());
        assertEquals(List.of(1, 2, 3), lcores.cpus());
        assertEquals(LcoreLayout.DEFAULT_HANDOFF_RING, lcores.handoffRing());
        assertFalse(parse(MINIMAL).lcores().handoff(), "run to completion unless io is given");

        assertEquals(List.of("test.yml:5: lcores.workers[0]: CPU 1 is listed twice"),
                problems(MINIMAL + "lcores: {io: [1], workers: [1]}\n"));
        assertEquals(List.of("test.yml:5: lcores.handoff-ring: must be a power of two, got 1000"),
                problems(MINIMAL + "lcores: {io: [1], workers: [2], handoff-ring: 1000}\n"));
        assertEquals(List.of("test.yml:5: lcores.handoff-ring: applies only with lcores.io (I/O lcores handing "
                + "packets to the workers)"), problems(MINIMAL + "lcores: {workers: [2], handoff-ring: 1024}\n"));
        assertEquals(List.of("test.yml:5: lcores.workers: needs at least one polling lcore"),
                problems(MINIMAL + "lcores: {io: [1], workers: []}\n"));
    }

    @Test
    void idlePolicyIsPollUnlessAdaptiveIsAsked() throws ConfigException {
        assertEquals(IdlePolicy.poll(), parse(MINIMAL).lcores().idle());
        assertEquals(IdlePolicy.adaptive(100, java.time.Duration.ofNanos(250_000)), parse(MINIMAL
                + "lcores: {workers: [1], idle: adaptive, idle-empty-polls: 100, idle-max-sleep-us: 250}\n")
                .lcores().idle());
        assertEquals(List.of("test.yml:5: lcores.idle: must be poll or adaptive, not 'sleepy'"),
                problems(MINIMAL + "lcores: {workers: [1], idle: sleepy}\n"));
        assertEquals(List.of("test.yml:5: lcores.idle-max-sleep-us: applies only with lcores.idle: adaptive"),
                problems(MINIMAL + "lcores: {workers: [1], idle-max-sleep-us: 100}\n"));
    }

    @Test
    void dnsRrlIsOffByDefaultAndItsProblemsNameFileAndLine() throws ConfigException {
        assertEquals(RrlSettings.OFF, parse(MINIMAL).dns().rrl());
        RrlSettings rrl = parse(MINIMAL + """
                dns:
                  rrl: {responses-per-second: 10, slip: 3, window-seconds: 5, ipv4-prefix-length: 22,
                        ipv6-prefix-length: 48, exempt: [198.18.0.0/30]}
                """).dns().rrl();
        assertEquals(new RrlSettings(10, 3, 5, 22, 48, List.of("198.18.0.0/30")), rrl);
        assertEquals(List.of(
                "test.yml:7: dns.rrl.responses-per-second: must be between 0 and 1000000, not -1",
                "test.yml:8: dns.rrl.slip: must be between 0 and 10, not 11",
                "test.yml:9: dns.rrl.exempt[1]: '10.0.0.0/33': prefix length outside 0..32",
                "test.yml:10: dns.rrl.rate: unknown key (expected one of responses-per-second, slip, window-seconds, "
                        + "ipv4-prefix-length, ipv6-prefix-length, exempt)"),
                problems(MINIMAL + """
                        dns:
                          rrl:
                            responses-per-second: -1
                            slip: 11
                            exempt: [198.18.0.0/30, 10.0.0.0/33]
                            rate: 5
                        """).stream().sorted((a, b) -> Integer.compare(line(a), line(b))).toList());
    }

    @Test
    void dnsCookiesAreOffByDefaultAndASecretMustBe128BitsOfHex() throws ConfigException {
        assertFalse(parse(MINIMAL).dns().cookies().enabled());
        assertTrue(parse(MINIMAL + "dns: {cookies: {enabled: true}}\n").dns().cookies().enabled(), "generated secret");
        assertEquals(List.of("test.yml:7: dns.cookies.secret: must be 32 hexadecimal digits (128 bits, RFC 9018 §4.4), "
                        + "e.g. e5e973e5a6b2a43f48e7dc849e37bfcf"),
                problems(MINIMAL + """
                        dns:
                          cookies:
                            secret: not-hex
                        """));
    }

    @Test
    void dnsIdentityIsSilentByDefaultAndTextsFitACharacterString() throws ConfigException {
        assertEquals(null, parse(MINIMAL).dns().identity().nsid());
        assertTrue(parse(MINIMAL + "dns: {identity: {id-server: box-1}}\n").dns().identity().answersChaos());
        assertEquals(List.of("test.yml:7: dns.identity.nsid: at most 255 octets, got 256"),
                problems(MINIMAL + "dns:\n  identity:\n    nsid: " + "x".repeat(256) + "\n"));
    }

    @Test
    void anycastIsReadAndChecked() throws ConfigException {
        AnycastConfig anycast = parse(MINIMAL + """
                anycast:
                  local-as: 64512
                  router-id: 198.18.0.53
                  peers: [{address: 198.18.0.1, as: 64500}]
                  announce: [198.18.53.53/32]
                """).anycast().orElseThrow();
        assertEquals("bird", anycast.daemon());
        assertEquals(64512, anycast.localAs());
        assertEquals(9, anycast.holdSeconds());
        assertEquals(List.of(IpPrefix.parse("198.18.53.53/32")), anycast.announce());
        assertTrue(parse(MINIMAL).anycast().isEmpty());

        List<String> problems = problems(MINIMAL + """
                anycast:
                  daemon: quagga
                  local-as: 0
                  router-id: 2001:db8::1
                  peers: [{address: 203.0.113.1, as: 64500}]
                  announce: [198.18.53.0/24]
                  hold-seconds: 1
                """);
        assertEquals(List.of(
                "test.yml:6: anycast.daemon: 'quagga' is not supported: the appliance drives BIRD 2 (daemon: bird)",
                "test.yml:7: anycast.local-as: must be an AS number 1..4294967295, not '0'",
                "test.yml:8: anycast.router-id: must be an IPv4 address (RFC 6286: 32 bits)",
                "test.yml:9: anycast.peers[0].address: 203.0.113.1 is on no subnet of the DNS uplink p0 "
                        + "[198.18.0.53/24]: peers must be directly connected",
                "test.yml:10: anycast.announce[0]: 198.18.53.0/24 must be a host prefix (/32 or /128): the data plane "
                        + "answers the service address itself",
                "test.yml:11: anycast.hold-seconds: must be between 3 and 65535, not 1"), problems);
    }

    @Test
    void moreWorkersThanTheVswitchHasCounterLanesAreRefusedAtLoad() throws ConfigException {
        // 17 unpinned workers: valid CPUs, but the vswitch stage of each lcore needs a counter lane and there are 16.
        assertEquals(List.of("test.yml:2: lcores.workers: 17 polling lcores; at most 16 are supported (one vswitch "
                        + "counter lane each)"),
                problems("""
                        lcores:
                          workers: [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]
                        ports:
                          - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                        """));
        assertEquals(16, parse("""
                lcores:
                  workers: [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                """).lcores().workers().size());
    }

    @Test
    void portsAreRequired() {
        assertEquals(List.of("test.yml:1: ports: at least one port is required"), problems("api: {listen: 127.0.0.1:80}\n"));
        assertEquals(List.of("test.yml:1: the file is empty; it needs at least a ports list"),
                assertThrows(ConfigException.class, () -> parse("")).problems());
    }

    @Test
    void dnsNeedsAnAddressToAnswerOn() {
        List<String> problems = problems("""
                ports:
                  - {name: p0, device: net_null0}
                dns:
                  enabled: true
                """);
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().contains("no port has an address"), problems::toString);
    }

    @Test
    void dnsUplinkMustBeAPortWithAddressesAndTheExceptionPortNameIsReserved() {
        assertEquals(List.of("test.yml:6: dns.uplink: 'p1' is not a port with addresses"), problems("""
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                  - {name: p1, device: net_null1}
                dns:
                  exception-path: true
                  uplink: p1
                """));
        assertEquals(List.of("test.yml:6: dns.exception-path: the exception path adds a port named 'exception'; rename the configured one"),
                problems("""
                ports:
                  - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
                  - {name: exception, device: net_null1}
                dns:
                  uplink: p0
                  exception-path: yes
                """));
    }

    @Test
    void vtepLearningIsReadPerBridgeDomainAndOffByDefault() throws ConfigException {
        ApplianceConfig config = parse(MINIMAL + """
                vswitch:
                  bridge-domains:
                    - {vni: 100, learn-vteps: true, max-learned-vteps: 8}
                    - {vni: 200}
                """);
        assertEquals(Boolean.TRUE, config.vswitch().bridgeDomains().get(0).learnVteps());
        assertEquals(8, config.vswitch().bridgeDomains().get(0).maxLearnedVteps());
        assertEquals(null, config.vswitch().bridgeDomains().get(1).learnVteps(), "unset: the vswitch default (off)");
        assertEquals(List.of(
                "test.yml:7: vswitch.bridge-domains[0].learn-vteps: must be true or false, not 'maybe'",
                "test.yml:7: vswitch.bridge-domains[0].max-learned-vteps: must be between 1 and 4096, not 0"),
                problems(MINIMAL + """
                vswitch:
                  bridge-domains:
                    - {vni: 100, learn-vteps: maybe, max-learned-vteps: 0}
                """));
    }

    @Test
    void vswitchSectionProblemsNameTheLine() {
        List<String> problems = problems(MINIMAL + """
                vswitch:
                  underlay: {port: nope, mac: "zz", ipv4: 2001:db8::1/64}
                  bridge-domains:
                    - vni: 16777216
                      ports: [p0.5000, eth1]
                      vteps: [not-an-ip]
                      static-entries: [{mac: "02:00:00:00:00:01", port: p0, vtep: 198.18.1.2}]
                    - {name: no-vni}
                """);
        assertEquals(List.of(
                "test.yml:6: vswitch.underlay.port: no port named 'nope'",
                "test.yml:6: vswitch.underlay.mac: 'zz' is not a MAC address like 02:00:00:00:00:01",
                "test.yml:6: vswitch.underlay.ipv4: '2001:db8::1/64' is not an IPv4 prefix",
                "test.yml:8: vswitch.bridge-domains[0].vni: must be between 0 and 16777215, not 16777216",
                "test.yml:9: vswitch.bridge-domains[0].ports[0]: 'p0.5000': the VLAN after the dot must be 1..4094",
                "test.yml:9: vswitch.bridge-domains[0].ports[1]: no port named 'eth1'",
                "test.yml:10: vswitch.bridge-domains[0].vteps[0]: 'not-an-ip' is not an IPv4 or IPv6 address",
                "test.yml:11: vswitch.bridge-domains[0].static-entries[0]: needs exactly one of port and vtep",
                "test.yml:12: vswitch.bridge-domains[1].vni: is required"), problems);
    }

    @Test
    void zoneProblemsNameTheZone() {
        List<String> problems = problems(MINIMAL + """
                dns:
                  zones:
                    - {origin: "bad..name", file: classpath:zones/isthmus-test.zone}
                    - {origin: isthmus.test, file: classpath:zones/isthmus-test.zone}
                    - {origin: ISTHMUS.test., file: classpath:zones/isthmus-test.zone}
                    - {origin: other.test, file: /nonexistent/other.zone}
                """);
        assertEquals(3, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("test.yml:7: dns.zones[0].origin: 'bad..name' has an invalid label"), problems::toString);
        assertEquals("test.yml:9: dns.zones[2].origin: zone 'ISTHMUS.test.' is listed twice", problems.get(1));
        assertEquals("test.yml:10: dns.zones[3].file: zone file '/nonexistent/other.zone' does not exist or is not readable", problems.get(2));
    }

    @Test
    void malformedYamlNamesTheLine() {
        List<String> problems = problems("ports:\n  - name: [unclosed\n");
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().matches("test\\.yml:[23]: not valid YAML: .*"), problems::toString);
    }

    @Test
    void tapKernelSideMustBeNamedToBeAddressed() {
        List<String> problems = problems("""
                ports:
                  - name: t
                    device: net_tap0
                    addresses: [198.18.0.53/24]
                    kernel-addresses: [198.18.0.1/24]
                """);
        assertEquals(List.of("test.yml:2: ports[0].devargs: name the kernel side (iface=NAME) to give it kernel-addresses"), problems);
    }

    @Test
    void missingFileIsOneClearProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.yml").toString()));
        assertTrue(e.problems().getFirst().contains("none.yml: cannot be read"), e::getMessage);
    }

    @Test
    void secondaryZonesAndTsigKeys() throws ConfigException {
        ApplianceConfig config = parse(MINIMAL + """
                dns:
                  tsig-keys:
                    - {name: xfr, algorithm: hmac-sha256, secret: "c2VjcmV0c2VjcmV0"}
                  zones:
                    - origin: Example.ORG.
                      primaries: [198.18.0.1, "198.18.0.2@5353"]
                      key: xfr
                """);
        SecondarySource secondary = config.dns().secondaries().getFirst();
        assertEquals("example.org", secondary.origin());
        assertEquals("[198.18.0.1, 198.18.0.2@5353]", secondary.primaries().toString());
        assertEquals("xfr", secondary.key());
        assertFalse(secondary.catalog());
        assertEquals(1, config.dns().tsigKeys().keys().size());
        assertTrue(config.dns().zones().isEmpty());

        List<String> problems = problems(MINIMAL + """
                dns:
                  tsig-keys:
                    - {name: xfr, algorithm: hmac-md5, secret: "c2VjcmV0"}
                    - {name: k2, algorithm: hmac-sha256, secret: "not base64!"}
                  zones:
                    - {origin: a.test, primaries: [primary.example]}
                    - {origin: b.test, primaries: [198.18.0.1], key: nokey, file: b.zone}
                    - {origin: c.test, primaries: []}
                """);
        assertEquals(List.of(
                "test.yml:7: dns.tsig-keys[0].algorithm: 'hmac-md5' is not one of hmac-sha256, hmac-sha512, hmac-sha1",
                "test.yml:8: dns.tsig-keys[1].secret: not base64 (Illegal base64 character 20)",
                "test.yml:10: dns.zones[0].primaries[0]: 'primary.example' is not an IP address (addr or addr@port)",
                "test.yml:11: dns.zones[1].file: a zone has a file or primaries, not both",
                "test.yml:11: dns.zones[1].key: no dns.tsig-keys entry named 'nokey'",
                "test.yml:12: dns.zones[2].primaries: needs at least one primary"), problems);
    }
}
