package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.ConfigException;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.pipeline.DnsSettings;
import dev.isthmus.dns.wire.DnsName;
import dev.isthmus.dns.wire.Message;
import dev.isthmus.dns.wire.MessageReader;
import dev.isthmus.dns.wire.MessageWriter;
import dev.isthmus.dns.wire.RecordType;
import dev.isthmus.dns.zone.ZoneFileParser;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dns.minimal-responses} from the configuration file to the settings each lcore's engine is built from. */
class MinimalResponsesConfigTest {

    private static final String PORTS = """
            ports:
              - name: p0
                device: net_null0
                addresses: [198.18.0.53/24]
            """;

    private static DnsSettings settings(String yaml) throws ConfigException {
        return ApplianceDataplane.dnsSettings(ConfigLoader.parse("test.yml", yaml, Path.of("/etc/isthmus")).dns());
    }

    @Test
    void onByDefaultAndOffWhenConfigured() throws ConfigException {
        assertTrue(settings(PORTS).minimalResponses());
        assertTrue(settings(PORTS + "dns: {minimal-responses: true}\n").minimalResponses());
        assertFalse(settings(PORTS + "dns: {minimal-responses: false}\n").minimalResponses());
        assertFalse(settings(PORTS + "dns: {minimal-responses: no}\n").minimalResponses());
    }

    @Test
    void aBadValueNamesTheField() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(PORTS + "dns: {minimal-responses: maybe}\n"));
        assertEquals(List.of("test.yml:5: dns.minimal-responses: must be true or false, not 'maybe'"), e.problems());
    }

    /** The engine a stage builds from the settings: the zone's NS in authority only with minimal responses off. */
    @Test
    void theSettingDecidesTheAuthoritySection() throws Exception {
        ZoneCatalog catalog = new ZoneCatalog();
        catalog.put(ZoneFileParser.parse(DnsName.of("example.test"), """
                $TTL 3600
                @    SOA ns1 hostmaster 1 7200 3600 1209600 300
                     NS  ns1
                ns1  A   198.18.0.53
                www  A   198.18.0.80
                """, "example.test"));
        Message minimal = ask(catalog, settings(PORTS));
        Message full = ask(catalog, settings(PORTS + "dns: {minimal-responses: false}\n"));
        assertEquals(1, minimal.answers().size());
        assertEquals(0, minimal.authority().size());
        assertEquals(0, minimal.additional().size());
        assertEquals(1, full.answers().size());
        assertEquals(RecordType.NS, full.authority().getFirst().type());
        assertEquals(RecordType.A, full.additional().getFirst().type());
    }

    private static Message ask(ZoneCatalog catalog, DnsSettings settings) throws Exception {
        byte[] query = new MessageWriter(7, 0).question(DnsName.of("www.example.test"), RecordType.A, 1)
                .toByteArray();
        byte[] buffer = Arrays.copyOf(query, 4096);
        int n = new QueryEngine(catalog, settings.minimalResponses()).answer(MemorySegment.ofArray(buffer), 0,
                query.length, buffer.length, QueryEngine.CLASSIC_UDP_SIZE);
        return MessageReader.read(Arrays.copyOf(buffer, n));
    }
}
