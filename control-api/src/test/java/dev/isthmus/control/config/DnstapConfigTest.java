package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dns.dnstap-file} and {@code dns.dnstap-socket}: where the query log's sample goes as dnstap. */
class DnstapConfigTest {

    private static final String PORTS = """
            ports:
              - name: p0
                device: net_null0
                addresses: [198.18.0.53/24]
            """;

    private static DnsConfig dns(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yml", PORTS + yaml, Path.of("/etc/isthmus")).dns();
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> dns(yaml)).problems();
    }

    @Test
    void aSocketIsResolvedAgainstTheConfigurationDirectory() throws ConfigException {
        DnsConfig dns = dns("dns: {query-log-every: 10, dnstap-socket: run/tap.sock}\n");
        assertEquals("/etc/isthmus/run/tap.sock", dns.dnstapSocket());
        assertEquals("", dns.dnstapFile());
        assertEquals("", dns("dns: {}\n").dnstapSocket());
    }

    @Test
    void fileAndSocketTogetherOrWithoutTheQueryLogAreProblemsNamingTheField() {
        assertEquals(List.of("test.yml:5: dns.dnstap-socket: give dnstap-file or dnstap-socket, not both"),
                problems("dns: {query-log-every: 1, dnstap-file: /tmp/a.dnstap, dnstap-socket: /tmp/tap.sock}\n"));
        assertEquals(List.of("test.yml:5: dns.dnstap-socket: dnstap writes the query log's sample: set "
                + "dns.query-log-every (1 = every query)"), problems("dns: {dnstap-socket: /tmp/tap.sock}\n"));
    }
}
