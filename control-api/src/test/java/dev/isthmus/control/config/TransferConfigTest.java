package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.isthmus.dns.xfr.TransferPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dns.allow-transfer}, {@code dns.ixfr-history} and the zones' {@code allow-transfer}, {@code notify}, {@code key}. */
class TransferConfigTest {

    private static final String PORTS = """
            ports:
              - {name: p0, device: net_null0, addresses: [198.18.0.53/24]}
            """;

    private static ApplianceConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yml", PORTS + yaml, Path.of("/etc/isthmus"));
    }

    @Test
    void noTransfersByDefault() throws ConfigException {
        TransferConfig t = parse("dns: {zones: [{origin: isthmus.test, file: \"classpath:zones/isthmus-test.zone\"}]}\n")
                .dns().transfers();
        assertEquals(TransferConfig.NONE, t);
    }

    @Test
    void zonePoliciesAndTheGlobalListAreRead() throws ConfigException {
        TransferConfig t = parse("""
                dns:
                  tsig-keys:
                    - {name: xfr.key, algorithm: hmac-sha256, secret: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0ISE="}
                  allow-transfer: [198.18.0.0/15]
                  ixfr-history: {versions: 8, records: 5000}
                  zones:
                    - origin: Isthmus.Test.
                      file: "classpath:zones/isthmus-test.zone"
                      allow-transfer: [198.18.0.2, "2001:db8::/32"]
                      notify: [198.18.0.2, "198.18.0.3@5300", "2001:db8::2@53"]
                      key: Xfr.Key.
                """).dns().transfers();
        assertEquals("[198.18.0.0/15]", t.global().allowTransfer().toString());
        assertEquals(8, t.historyVersions());
        assertEquals(5000, t.historyRecords());
        TransferPolicy p = t.zones().get("isthmus.test");
        assertEquals("[198.18.0.2/32, 2001:db8:0:0:0:0:0:0/32]", p.allowTransfer().toString());
        assertEquals(List.of("198.18.0.2@53", "198.18.0.3@5300", "2001:db8:0:0:0:0:0:2@53"),
                p.notifyTargets().stream().map(TransferPolicy::targetText).toList());
        assertEquals("xfr.key", p.key());
        assertNull(parse("dns: {zones: [{origin: isthmus.test, file: \"classpath:zones/isthmus-test.zone\", "
                + "allow-transfer: [198.18.0.2]}]}\n").dns().transfers().zones().get("isthmus.test").key());
    }

    @Test
    void badEntriesAreNamedByFieldAndLine() {
        List<String> problems = assertThrows(ConfigException.class, () -> parse("""
                dns:
                  allow-transfer: [198.18.0.0/33]
                  ixfr-history: {versions: 0, recs: 1}
                  zones:
                    - origin: isthmus.test
                      file: "classpath:zones/isthmus-test.zone"
                      allow-transfer: [not-an-address]
                      notify: ["198.18.0.2@99999", "host.example@53"]
                      key: "bad key!"
                      also-notify: [198.18.0.4]
                    - origin: other.test
                      file: "classpath:zones/isthmus-test.zone"
                      key: absent.key
                """)).problems();
        String all = String.join("\n", problems);
        for (String expected : List.of("dns.allow-transfer[0]: '198.18.0.0/33': prefix length must be 0..32",
                "dns.ixfr-history.versions", "dns.ixfr-history.recs", "dns.zones[0].allow-transfer[0]: "
                        + "'not-an-address' is not an IP address or prefix",
                "dns.zones[0].notify[0]: '198.18.0.2@99999': port must be 1..65535",
                "dns.zones[0].notify[1]: 'host.example@53' is not an IP address",
                "dns.zones[0].key: a TSIG key name must be a domain name", "also-notify",
                "dns.zones[1].key: no TSIG key 'absent.key' in dns.tsig-keys")) {
            assertEquals(true, all.contains(expected), "expected '" + expected + "' in:\n" + all);
        }
    }
}
